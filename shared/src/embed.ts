// The postMessage API between a Tandem embed (`/embed/<classId>` in an iframe) and its host page: message
// schemas for both directions, a version constant and the origin rules. docs/embed.md is the prose spec.
import * as v from 'valibot';
import {
  NOTIFICATION_KINDS,
  NOTIFICATION_TEXT_MAX_CHARS,
  NOTIFICATION_TITLE_MAX_CHARS,
} from './classroom/notifications.ts';
import { ROLES } from './roles.ts';
import { firstIssue } from './validation.ts';

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

const envelope = { [EMBED_MARKER]: v.literal(EMBED_PROTOCOL_VERSION) };
const jwtSchema = v.pipe(
  v.string(),
  v.regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a JWT (header.payload.signature)'),
  v.maxLength(8192),
);
const personSchema = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  name: v.pipe(v.string(), v.maxLength(80)),
  role: v.picklist(ROLES),
  status: v.picklist(['active', 'idle']),
  file: v.nullable(v.pipe(v.string(), v.maxLength(100))),
});

// ------------------------------------------------------------------------------------- iframe -> host (events)

export const embedEventSchema = v.variant('type', [
  /** The embed has loaded and listens for commands; `needsToken` when none came in the fragment. */
  v.object({ ...envelope, type: v.literal('ready'), view: v.picklist(EMBED_VIEWS), needsToken: v.boolean() }),
  /** The server accepted the token for the class; `scope` says whether the user may edit. */
  v.object({
    ...envelope,
    type: v.literal('joined'),
    classId: v.string(),
    user: v.object({ id: v.string(), name: v.string(), role: v.picklist(ROLES) }),
    scope: v.picklist(['read-write', 'readonly']),
  }),
  /** Who is here, sent when the list changes (at most a few times per second). */
  v.object({
    ...envelope,
    type: v.literal('presence'),
    people: v.pipe(v.array(personSchema), v.maxLength(1000)),
  }),
  /** Whether every local change has reached the server (`saved: true` means "all changes saved"). */
  v.object({
    ...envelope,
    type: v.literal('saved'),
    saved: v.boolean(),
    pending: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  }),
  /**
   * A notification for the signed-in person (announcement, @mention, reply, class or poll started): an iframe
   * cannot show browser notifications, so the host page may. Also sent for ones missed while disconnected.
   */
  v.object({
    ...envelope,
    type: v.literal('notification'),
    notification: v.object({
      id: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)),
      kind: v.picklist(NOTIFICATION_KINDS),
      title: v.pipe(v.string(), v.maxLength(NOTIFICATION_TITLE_MAX_CHARS)),
      text: v.pipe(v.string(), v.maxLength(NOTIFICATION_TEXT_MAX_CHARS * 2)),
      createdAt: v.number(),
    }),
    /** Unread notifications of this person in the class, this one included. */
    unreadCount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  }),
  /**
   * This person's unread notifications in the class: sent once the embed's inbox first loads and again whenever
   * the count changes (one arrives, one or all are read in the embed), so the host's badge stays right.
   */
  v.object({
    ...envelope,
    type: v.literal('unread'),
    unreadCount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  }),
  v.object({
    ...envelope,
    type: v.literal('error'),
    code: v.picklist(EMBED_ERROR_CODES),
    message: v.pipe(v.string(), v.maxLength(500)),
    /** The `id` of the command that failed, when a command caused it. */
    commandId: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
]);
export type EmbedEvent = v.InferOutput<typeof embedEventSchema>;
export type EmbedPerson = v.InferOutput<typeof personSchema>;

// ----------------------------------------------------------------------------------- host -> iframe (commands)

const commandBase = { ...envelope, id: v.optional(v.pipe(v.string(), v.maxLength(64))) };

export const embedCommandSchema = v.variant('type', [
  /** Supplies (or refreshes, before it expires) the JWT the embed connects with. */
  v.object({ ...commandBase, type: v.literal('setToken'), token: jwtSchema }),
  /** Opens a file of the code document by name. */
  v.object({
    ...commandBase,
    type: v.literal('openFile'),
    name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  }),
  v.object({ ...commandBase, type: v.literal('setTheme'), theme: v.picklist(THEMES) }),
  /** Follows a participant by user id (their file, cursor and scroll); `null` stops following. */
  v.object({
    ...commandBase,
    type: v.literal('follow'),
    userId: v.nullable(v.pipe(v.string(), v.maxLength(64))),
  }),
]);
export type EmbedCommand = v.InferOutput<typeof embedCommandSchema>;

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

function parseWith<T>(schema: v.GenericSchema<unknown, T>, data: unknown): ParsedMessage<T> {
  if (typeof data !== 'object' || data === null || !(EMBED_MARKER in data))
    return { ok: false, foreign: true };
  const result = v.safeParse(schema, data);
  if (result.success) return { ok: true, value: result.output };
  const { path, message } = firstIssue(result.issues);
  const where = path.length ? `${path.map(String).join('.')}: ` : '';
  const rawId = (data as { id?: unknown }).id;
  return {
    ok: false,
    foreign: false,
    reason: `${where}${message}`,
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
