// Chat: the layout of a `chat` document (written only by the server) and the REST bodies that change it.
// A chat document `<classId>/chat/<room>` holds `messages`, a Y.Map from message id to a plain JSON
// message; the server replaces the whole value on edit, reaction or delete, so readers see one atomic change.

import * as v from 'valibot';
import type * as Y from 'yjs';
import { idSchema } from '../ids.ts';
import { ROLES } from '../roles.ts';
import { queryInt } from '../validation.ts';

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

const chatText = v.pipe(
  v.string(),
  v.check((t) => t.trim().length > 0, 'message is empty'),
  v.check((t) => chatLength(t) <= CHAT_MAX_CHARS, `message is longer than ${CHAT_MAX_CHARS} characters`),
);

/** An emoji or short reaction code, e.g. "👍" or ":+1:"; never markup. */
export const reactionSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(16),
  v.check((r) => !/[<>&"'\s]/.test(r), 'not a reaction'),
  // Reactions are keys of a JSON object inside a Yjs document, and lib0 decodes `__proto__` as a prototype.
  v.check((r) => r !== '__proto__', 'not a reaction'),
);

/**
 * reaction -> user ids: a plain object (not an array) whose own enumerable keys all hold arrays of strings; an
 * own `__proto__` key is left out. Not `v.record`, which also leaves out `constructor` and `prototype`,
 * ordinary reactions here (test/integration/classroom/reactionKeys.test.ts).
 */
function isReactions(value: unknown): value is Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // A plain object: no constructor function, or one whose prototype is an ordinary object's.
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  if (typeof ctor === 'function') {
    const proto: unknown = ctor.prototype;
    if (typeof proto !== 'object' || proto === null || Array.isArray(proto)) return false;
    if (!Object.hasOwn(proto, 'isPrototypeOf')) return false;
  }
  for (const key of Reflect.ownKeys(value)) {
    if (key === '__proto__' || !Object.prototype.propertyIsEnumerable.call(value, key)) continue;
    if (typeof key !== 'string') return false;
    const users: unknown = (value as Record<string, unknown>)[key];
    if (!Array.isArray(users)) return false;
    for (let i = 0; i < users.length; i++) if (typeof users[i] !== 'string') return false;
  }
  return true;
}

/** A copy, as a parse gives (the value may be a Yjs document's own object). */
function copyReactions(reactions: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(reactions)) if (key !== '__proto__') out[key] = [...reactions[key]!];
  return out;
}

const reactionsSchema = v.pipe(
  v.custom<Record<string, string[]>>(isReactions, 'expected an object of user id lists'),
  v.transform(copyReactions),
);

const tombstoneSchema = v.object({ byId: v.string(), byName: v.string(), at: v.number() });

export const chatMessageSchema = v.object({
  id: v.string(),
  /** Order in the room: 1, 2, 3, ... assigned by the server. */
  seq: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)),
  authorId: v.string(),
  authorName: v.string(),
  authorRole: v.picklist(ROLES),
  /** Empty once deleted. */
  text: v.string(),
  ts: v.number(),
  editedAt: v.nullable(v.number()),
  /** The thread's first message, or null for a top-level message. */
  replyTo: v.nullable(v.string()),
  mentions: v.array(v.string()),
  /** reaction -> user ids who gave it */
  reactions: reactionsSchema,
  deleted: v.nullable(tombstoneSchema),
});
export type ChatMessage = v.InferOutput<typeof chatMessageSchema>;

export function chatMessagesMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(CHAT_MESSAGES_KEY);
}

/** Every well-formed message of a chat document in room order (malformed entries are skipped). */
export function readChatMessages(doc: Y.Doc): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const value of chatMessagesMap(doc).values()) {
    const parsed = v.safeParse(chatMessageSchema, value);
    if (parsed.success) out.push(parsed.output);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** The page's own id for a message it sends: a repeat of the request with it posts nothing new. */
export const CHAT_CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
export const sendChatBodySchema = v.strictObject({
  text: chatText,
  replyTo: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
  clientId: v.optional(
    v.pipe(v.string(), v.regex(CHAT_CLIENT_ID_PATTERN, 'must be 8 to 64 letters, digits, _ or -')),
  ),
});
export const editChatBodySchema = v.strictObject({ text: chatText });
export const reactChatBodySchema = v.strictObject({ reaction: reactionSchema, on: v.boolean() });
export const readMarkerBodySchema = v.strictObject({
  seq: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});
export const chatSearchQuerySchema = v.object({
  q: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  limit: v.optional(v.pipe(queryInt, v.minValue(1), v.maxValue(CHAT_SEARCH_MAX_RESULTS)), 50),
});
export const slowModeBodySchema = v.strictObject({
  seconds: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(3600)),
});
export const chatMuteBodySchema = v.strictObject({
  muted: v.boolean(),
  /** Omitted: until unmuted. */
  minutes: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(7 * 24 * 60))),
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
