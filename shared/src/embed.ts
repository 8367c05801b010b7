// The postMessage API between a Tandem embed (`/embed/<classId>` in an iframe) and its host page: message
// schemas for both directions, a version constant and the origin rules. docs/embed.md is the prose spec.
import { z } from 'zod';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_TEXT_MAX_CHARS,
  NOTIFICATION_TITLE_MAX_CHARS,
} from './classroom/notifications.ts';
import { ROLES } from './roles.ts';

export const EMBED_PROTOCOL_VERSION = 1;
/** Every message carries `tandem: EMBED_PROTOCOL_VERSION`, so other postMessage traffic is ignored. */
export const EMBED_MARKER = 'tandem';

/** `replay` shows a past session (`&session=<sessionId>`, optional `&t=<epoch ms>`): the replay page. */
export const EMBED_VIEWS = ['editor', 'board', 'video', 'all', 'replay'] as const;
export type EmbedView = (typeof EMBED_VIEWS)[number];
export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const EMBED_ERROR_CODES = [
  /** Sent once, a minute before the token expires: answer with `setToken` to stay connected. */
  'token_expiring',
  'token_expired',
  'unauthorized',
  'forbidden',
  'bad_command',
  'not_found',
  'connection_lost',
] as const;
export type EmbedErrorCode = (typeof EMBED_ERROR_CODES)[number];

const envelope = { [EMBED_MARKER]: z.literal(EMBED_PROTOCOL_VERSION) };
const jwtSchema = z
  .string()
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a JWT (header.payload.signature)')
  .max(8192);
const personSchema = z.object({
  id: z.string().max(64),
  name: z.string().max(80),
  role: z.enum(ROLES),
  status: z.enum(['active', 'idle']),
  file: z.string().max(100).nullable(),
});

// ------------------------------------------------------------------------------------- iframe -> host (events)

export const embedEventSchema = z.discriminatedUnion('type', [
  /** The embed has loaded and listens for commands; `needsToken` when none came in the fragment. */
  z.object({ ...envelope, type: z.literal('ready'), view: z.enum(EMBED_VIEWS), needsToken: z.boolean() }),
  /** The server accepted the token for the class; `scope` says whether the user may edit. */
  z.object({
    ...envelope,
    type: z.literal('joined'),
    classId: z.string(),
    user: z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }),
    scope: z.enum(['read-write', 'readonly']),
  }),
  /** Who is here, sent when the list changes (at most a few times per second). */
  z.object({ ...envelope, type: z.literal('presence'), people: z.array(personSchema).max(1000) }),
  /** Whether every local change has reached the server (`saved: true` means "all changes saved"). */
  z.object({ ...envelope, type: z.literal('saved'), saved: z.boolean(), pending: z.number().int().min(0) }),
  /**
   * A notification for the signed-in person (announcement, @mention, reply, class or poll started): an iframe
   * cannot show browser notifications, so the host page may. Also sent for ones missed while disconnected.
   */
  z.object({
    ...envelope,
    type: z.literal('notification'),
    notification: z.object({
      id: z.number().int().positive(),
      kind: z.enum(NOTIFICATION_KINDS),
      title: z.string().max(NOTIFICATION_TITLE_MAX_CHARS),
      text: z.string().max(NOTIFICATION_TEXT_MAX_CHARS * 2),
      createdAt: z.number(),
    }),
    /** Unread notifications of this person in the class, this one included. */
    unreadCount: z.number().int().min(0),
  }),
  /**
   * This person's unread notifications in the class: sent once the embed's inbox first loads and again whenever
   * the count changes (one arrives, one or all are read in the embed), so the host's badge stays right.
   */
  z.object({ ...envelope, type: z.literal('unread'), unreadCount: z.number().int().min(0) }),
  z.object({
    ...envelope,
    type: z.literal('error'),
    code: z.enum(EMBED_ERROR_CODES),
    message: z.string().max(500),
    /** The `id` of the command that failed, when a command caused it. */
    commandId: z.string().max(64).optional(),
  }),
]);
export type EmbedEvent = z.infer<typeof embedEventSchema>;
export type EmbedPerson = z.infer<typeof personSchema>;

// ----------------------------------------------------------------------------------- host -> iframe (commands)

const commandBase = { ...envelope, id: z.string().max(64).optional() };

export const embedCommandSchema = z.discriminatedUnion('type', [
  /** Supplies (or refreshes, before it expires) the JWT the embed connects with. */
  z.object({ ...commandBase, type: z.literal('setToken'), token: jwtSchema }),
  /** Opens a file of the code document by name. */
  z.object({ ...commandBase, type: z.literal('openFile'), name: z.string().min(1).max(100) }),
  z.object({ ...commandBase, type: z.literal('setTheme'), theme: z.enum(THEMES) }),
  /** Follows a participant by user id (their file, cursor and scroll); `null` stops following. */
  z.object({ ...commandBase, type: z.literal('follow'), userId: z.string().max(64).nullable() }),
]);
export type EmbedCommand = z.infer<typeof embedCommandSchema>;

/** Payloads without the envelope, for senders: `send({ type: 'ready', ... })`. */
type WithoutEnvelope<T> = T extends unknown ? Omit<T, typeof EMBED_MARKER> : never;
export type EmbedEventBody = WithoutEnvelope<EmbedEvent>;
export type EmbedCommandBody = WithoutEnvelope<EmbedCommand>;

export function embedEvent(body: EmbedEventBody): EmbedEvent {
  return { ...body, [EMBED_MARKER]: EMBED_PROTOCOL_VERSION } as EmbedEvent;
}

export function embedCommand(body: EmbedCommandBody): EmbedCommand {
  return { ...body, [EMBED_MARKER]: EMBED_PROTOCOL_VERSION } as EmbedCommand;
}

export type ParsedMessage<T> =
  | { ok: true; value: T }
  /** Not a Tandem message at all: ignore silently. */
  | { ok: false; foreign: true }
  /** A Tandem message that does not validate: answer with `bad_command`. */
  | { ok: false; foreign: false; reason: string; id: string | undefined };

function parseWith<T>(schema: z.ZodType<T>, data: unknown): ParsedMessage<T> {
  if (typeof data !== 'object' || data === null || !(EMBED_MARKER in data))
    return { ok: false, foreign: true };
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  const rawId = (data as { id?: unknown }).id;
  return {
    ok: false,
    foreign: false,
    reason: `${where}${issue?.message ?? 'invalid message'}`,
    id: typeof rawId === 'string' ? rawId.slice(0, 64) : undefined,
  };
}

export function parseEmbedCommand(data: unknown): ParsedMessage<EmbedCommand> {
  return parseWith(embedCommandSchema, data);
}

export function parseEmbedEvent(data: unknown): ParsedMessage<EmbedEvent> {
  return parseWith(embedEventSchema, data);
}

// ------------------------------------------------------------------------------------------------- origins

/** The origin (`scheme://host[:port]`) of a URL, or null for anything that has none (`about:`, `data:`, junk). */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether an embed at `selfOrigin` may talk to a host at `origin`: its own origin always, others only when
 * listed (the same list the server puts in CSP `frame-ancestors`, so framing and messaging agree).
 */
export function isAllowedEmbedOrigin(
  origin: string,
  selfOrigin: string,
  allowed: readonly string[],
): boolean {
  if (origin === selfOrigin) return true;
  return allowed.some((entry) => entry === origin);
}
