// Chat: the layout of a `chat` document (written only by the server) and the REST bodies that change it.
// A chat document `<classId>/chat/<room>` holds `messages`, a Y.Map from message id to a plain JSON
// message; the server replaces the whole value on edit, reaction or delete, so readers see one atomic change.
import type * as Y from 'yjs';
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import { ROLES } from '../roles.ts';

export const CHAT_MESSAGES_KEY = 'messages';
/** The class-wide room; any other key is a pair room (same key as the pair's code document). */
export const MAIN_CHAT_ROOM = 'main';
export const CHAT_MAX_CHARS = 4000;
export const CHAT_MAX_MENTIONS = 20;
export const CHAT_MAX_REACTIONS_PER_MESSAGE = 20;
export const CHAT_SEARCH_MAX_RESULTS = 100;

/** Counts characters as people do (code points), not UTF-16 units. */
export function chatLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const chatText = z
  .string()
  .refine((t) => t.trim().length > 0, 'message is empty')
  .refine((t) => chatLength(t) <= CHAT_MAX_CHARS, `message is longer than ${CHAT_MAX_CHARS} characters`);

/** An emoji or short reaction code, e.g. "👍" or ":+1:"; never markup. */
export const reactionSchema = z
  .string()
  .min(1)
  .max(16)
  .refine((r) => !/[<>&"'\s]/.test(r), 'not a reaction')
  // Reactions are keys of a JSON object inside a Yjs document, and lib0 decodes `__proto__` as a prototype.
  .refine((r) => r !== '__proto__', 'not a reaction');

const tombstoneSchema = z.object({ byId: z.string(), byName: z.string(), at: z.number() });

export const chatMessageSchema = z.object({
  id: z.string(),
  /** Order in the room: 1, 2, 3, ... assigned by the server. */
  seq: z.number().int().positive(),
  authorId: z.string(),
  authorName: z.string(),
  authorRole: z.enum(ROLES),
  /** Empty once deleted. */
  text: z.string(),
  ts: z.number(),
  editedAt: z.number().nullable(),
  /** The thread's first message, or null for a top-level message. */
  replyTo: z.string().nullable(),
  mentions: z.array(z.string()),
  /** reaction -> user ids who gave it */
  reactions: z.record(z.string(), z.array(z.string())),
  deleted: tombstoneSchema.nullable(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export function chatMessagesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(CHAT_MESSAGES_KEY);
}

/** Every well-formed message of a chat document in room order (malformed entries are skipped). */
export function readChatMessages(doc: Y.Doc): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const value of chatMessagesMap(doc).values()) {
    const parsed = chatMessageSchema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

export const sendChatBodySchema = z.strictObject({
  text: chatText,
  replyTo: z.string().max(64).nullable().optional(),
});
export const editChatBodySchema = z.strictObject({ text: chatText });
export const reactChatBodySchema = z.strictObject({ reaction: reactionSchema, on: z.boolean() });
export const readMarkerBodySchema = z.strictObject({ seq: z.number().int().min(0) });
export const chatSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(CHAT_SEARCH_MAX_RESULTS).default(50),
});
export const slowModeBodySchema = z.strictObject({ seconds: z.number().int().min(0).max(3600) });
export const chatMuteBodySchema = z.strictObject({
  muted: z.boolean(),
  /** Omitted: until unmuted. */
  minutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
});

export interface ChatRoomStatus {
  room: string;
  lastSeq: number;
  readSeq: number;
  unread: number;
  unreadMentions: number;
  slowModeSeconds: number;
}

export const chatRoomParamSchema = idSchema;
