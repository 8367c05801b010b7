// Chat rules on top of the chat documents: the server alone writes them (author and time from the token and
// its clock), after checking role, mute, rate limit and slow mode. Edits and deletes replace the whole
// message value; deletes leave a tombstone and the old text goes to the staff-only audit.
import crypto from 'node:crypto';
import {
  CHAT_MAX_REACTIONS_PER_MESSAGE,
  type ChatMessage,
  type ChatRoomStatus,
  chatMessageSchema,
  chatMessagesMap,
  extractMentions,
  formatDocumentName,
  isStaff,
  readChatMessages,
  type UserIdentity,
} from '@tandem/shared';
import * as v from 'valibot';
import type * as Y from 'yjs';
import type { CollabService } from '../collab/CollabService.ts';
import { AppError } from '../errors.ts';
import type { AuditEntry, ChatStorage } from '../storage/types/chat.ts';
import { KeyedLimiter } from './KeyedLimiter.ts';
import { RecentSends } from './RecentSends.ts';

/** Sustained one message per second per person, bursts of eight. */
const CHAT_RATE_PER_SEC = 1;
const CHAT_BURST = 8;

export interface ChatHooks {
  /** The main class of a class id (mutes apply across a class and its breakout rooms). */
  rootOf(classId: string): Promise<string>;
  /** A closed breakout room's chat is read-only. */
  isClosedRoom(classId: string): Promise<boolean>;
  /** Whether an id names a person of the class (for @mentions). */
  isKnownPerson(rootClassId: string, userId: string): Promise<boolean>;
  /** After a message is stored; `threadAuthorId` is the thread's first author when it is a reply. */
  onMessageSent(
    classId: string,
    user: UserIdentity,
    sent: { room: string; message: ChatMessage; threadAuthorId: string | null },
  ): Promise<void>;
}

export class ChatService {
  private readonly limiter = new KeyedLimiter(
    CHAT_RATE_PER_SEC,
    CHAT_BURST,
    'you are sending messages too fast; wait a moment and try again',
  );
  /** Last message time per room and person, for slow mode. */
  private readonly lastSentAt = new Map<string, number>();
  /** Sends that carried a client id, so that a repeat of one returns its message (RecentSends.ts). */
  private readonly recentSends: RecentSends<ChatMessage>;

  constructor(
    private readonly collab: Pick<CollabService, 'edit' | 'read'>,
    private readonly store: ChatStorage,
    private readonly hooks: ChatHooks,
    private readonly now: () => number = Date.now,
  ) {
    this.recentSends = new RecentSends(now);
  }

  /**
   * Posts a message. With a `clientId` (the page's id for this message), a repeat of the same request (same
   * person, room and id) within RecentSends' window (2 minutes) returns the first one's message instead of posting again.
   */
  send(
    user: UserIdentity,
    room: string,
    body: { text: string; replyTo?: string | null | undefined; clientId?: string | undefined },
  ): Promise<ChatMessage> {
    if (body.clientId === undefined) return this.post(user, room, body);
    const key = `${user.classId}/${room}/${user.id}/${body.clientId}`;
    return this.recentSends.once(key, () => this.post(user, room, body));
  }

  private async post(
    user: UserIdentity,
    room: string,
    body: { text: string; replyTo?: string | null | undefined },
  ): Promise<ChatMessage> {
    await this.checkMayWrite(user);
    const root = await this.hooks.rootOf(user.classId);
    const staff = isStaff(user.role);
    const mute = await this.store.muteState(root, user.id);
    if (mute.muted && !staff) {
      const until = mute.until ? ` until ${new Date(mute.until).toISOString()}` : '';
      throw new AppError('forbidden', `a moderator muted you in this class's chat${until}`);
    }
    this.limiter.take(`${root}:${user.id}`);
    const slowKey = `${user.classId}/${room}/${user.id}`;
    const slowSeconds = await this.store.slowModeSeconds(user.classId, room);
    const last = this.lastSentAt.get(slowKey);
    if (!staff && slowSeconds > 0 && last !== undefined && this.now() - last < slowSeconds * 1000) {
      const wait = Math.ceil((slowSeconds * 1000 - (this.now() - last)) / 1000);
      throw new AppError(
        'rate_limited',
        `slow mode is on: one message every ${slowSeconds} s; wait ${wait} s`,
      );
    }
    const mentions = await this.mentionsIn(root, body.text);
    let threadAuthorId: string | null = null;
    const message = await this.collab.edit(this.docName(user.classId, room), user, (doc) => {
      const messages = chatMessagesMap(doc);
      let replyTo: string | null = null;
      if (body.replyTo) {
        const parent = this.find(doc, body.replyTo);
        // Threads are one level deep: a reply to a reply joins the same thread.
        replyTo = parent.replyTo ?? parent.id;
        threadAuthorId = replyTo === parent.id ? parent.authorId : this.find(doc, replyTo).authorId;
      }
      const seq = messages.size + 1;
      const created: ChatMessage = {
        id: `m${seq}-${crypto.randomBytes(3).toString('hex')}`,
        seq,
        authorId: user.id,
        authorName: user.name,
        authorRole: user.role,
        text: body.text,
        ts: this.now(),
        editedAt: null,
        replyTo,
        mentions,
        reactions: {},
        deleted: null,
      };
      messages.set(created.id, created);
      return created;
    });
    this.lastSentAt.set(slowKey, message.ts);
    await this.hooks.onMessageSent(user.classId, user, { room, message, threadAuthorId });
    return message;
  }

  async edit(user: UserIdentity, room: string, id: string, text: string): Promise<ChatMessage> {
    await this.checkMayWrite(user);
    const root = await this.hooks.rootOf(user.classId);
    const mentions = await this.mentionsIn(root, text);
    const { edited, old } = await this.collab.edit(this.docName(user.classId, room), user, (doc) => {
      const message = this.find(doc, id);
      if (message.authorId !== user.id)
        throw new AppError('forbidden', 'you can edit only your own messages');
      if (message.deleted) throw new AppError('conflict', 'this message was deleted');
      const edited: ChatMessage = { ...message, text, mentions, editedAt: this.now() };
      chatMessagesMap(doc).set(id, edited);
      return { edited, old: message };
    });
    await this.store.audit(user.classId, room, auditOf(old, 'edit', user));
    return edited;
  }

  /** Authors delete their own messages; staff delete any. A tombstone stays in the room. */
  async remove(user: UserIdentity, room: string, id: string): Promise<ChatMessage> {
    const { result, old } = await this.collab.edit(this.docName(user.classId, room), user, (doc) => {
      const message = this.find(doc, id);
      if (message.authorId !== user.id && !isStaff(user.role)) {
        throw new AppError('forbidden', 'you can delete only your own messages');
      }
      if (message.deleted) return { result: message, old: null };
      const tombstone: ChatMessage = {
        ...message,
        text: '',
        mentions: [],
        reactions: {},
        deleted: { byId: user.id, byName: user.name, at: this.now() },
      };
      chatMessagesMap(doc).set(id, tombstone);
      return { result: tombstone, old: message };
    });
    if (old) await this.store.audit(user.classId, room, auditOf(old, 'delete', user));
    return result;
  }

  async react(
    user: UserIdentity,
    room: string,
    id: string,
    reaction: string,
    on: boolean,
  ): Promise<ChatMessage> {
    await this.checkMayWrite(user);
    this.limiter.take(`${await this.hooks.rootOf(user.classId)}:${user.id}`);
    return this.collab.edit(this.docName(user.classId, room), user, (doc) => {
      const message = this.find(doc, id);
      if (message.deleted) throw new AppError('conflict', 'this message was deleted');
      // A Map: reaction names are user-chosen (`constructor`, `toString` are names, not members).
      const reactions = new Map(Object.entries(message.reactions));
      const current = reactions.get(reaction) ?? [];
      if (on === current.includes(user.id)) return message;
      if (on && !reactions.has(reaction)) {
        if (reactions.size >= CHAT_MAX_REACTIONS_PER_MESSAGE) {
          throw new AppError(
            'conflict',
            `a message can have at most ${CHAT_MAX_REACTIONS_PER_MESSAGE} reactions`,
          );
        }
      }
      const users = on ? [...current, user.id] : current.filter((u) => u !== user.id);
      if (users.length === 0) reactions.delete(reaction);
      else reactions.set(reaction, users);
      const updated: ChatMessage = { ...message, reactions: Object.fromEntries(reactions) };
      chatMessagesMap(doc).set(id, updated);
      return updated;
    });
  }

  /** Messages after `afterSeq`, for readers without a Yjs client. */
  async messages(classId: string, room: string, afterSeq: number, limit: number): Promise<ChatMessage[]> {
    const all = await this.collab.read(this.docName(classId, room), readChatMessages);
    return all.filter((m) => m.seq > afterSeq).slice(0, limit);
  }

  /** Case-insensitive search of live messages (newest first); every word must appear in text or author. */
  async search(classId: string, room: string, query: string, limit: number): Promise<ChatMessage[]> {
    const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    const all = await this.collab.read(this.docName(classId, room), readChatMessages);
    const hits: ChatMessage[] = [];
    for (let i = all.length - 1; i >= 0 && hits.length < limit; i--) {
      const m = all[i]!;
      if (m.deleted) continue;
      const haystack = `${m.text}\n${m.authorName}`.toLocaleLowerCase();
      if (words.every((w) => haystack.includes(w))) hits.push(m);
    }
    return hits;
  }

  async status(user: UserIdentity, room: string): Promise<ChatRoomStatus> {
    const all = await this.collab.read(this.docName(user.classId, room), readChatMessages);
    const readSeq = await this.store.readSeq(user.classId, room, user.id);
    const unread = all.filter((m) => m.seq > readSeq && !m.deleted && m.authorId !== user.id);
    return {
      room,
      lastSeq: all.at(-1)?.seq ?? 0,
      readSeq,
      unread: unread.length,
      unreadMentions: unread.filter((m) => m.mentions.includes(user.id)).length,
      slowModeSeconds: await this.store.slowModeSeconds(user.classId, room),
    };
  }

  markRead(user: UserIdentity, room: string, seq: number): Promise<number> {
    return this.store.markRead(user.classId, room, user.id, seq);
  }

  /** The @mentions of a text that name people of the class (known ids are looked up first). */
  private async mentionsIn(root: string, text: string): Promise<string[]> {
    const candidates: string[] = [];
    extractMentions(text, (id) => {
      candidates.push(id);
      return false;
    });
    const known = new Set<string>();
    for (const id of new Set(candidates)) if (await this.hooks.isKnownPerson(root, id)) known.add(id);
    return extractMentions(text, (id) => known.has(id));
  }

  private async checkMayWrite(user: UserIdentity): Promise<void> {
    if (user.role === 'observer')
      throw new AppError('forbidden', 'observers can read the chat but not write in it');
    if (await this.hooks.isClosedRoom(user.classId)) {
      throw new AppError('forbidden', 'this breakout room is closed; its chat is kept read-only');
    }
  }

  private find(doc: Y.Doc, id: string): ChatMessage {
    const parsed = v.safeParse(chatMessageSchema, chatMessagesMap(doc).get(id));
    if (!parsed.success) throw new AppError('not_found', `no message ${id} in this room`);
    return parsed.output;
  }

  private docName(classId: string, room: string): string {
    return formatDocumentName({ classId, kind: 'chat', key: room });
  }
}

function auditOf(
  old: ChatMessage,
  action: AuditEntry['action'],
  actor: UserIdentity,
): Omit<AuditEntry, 'id' | 'at'> {
  return {
    messageId: old.id,
    action,
    actorId: actor.id,
    actorName: actor.name,
    authorId: old.authorId,
    oldText: old.text,
  };
}
