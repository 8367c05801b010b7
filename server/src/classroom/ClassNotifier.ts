// Pushes class notices to open document connections as collab stateless messages: to everyone in a class,
// to its staff, to one person (on every device they have open), or to many people each their own. Only to
// the connections of this process: a cluster relays what it sends for a class served elsewhere (onSent).
import crypto from 'node:crypto';
import type { Connection } from '@hocuspocus/server';
import { type ClassNotice, type ClassNoticeInput, encodeCollabNotice, isStaff } from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import type { CollabContext } from '../collab/context.ts';

/** Who of a class's connections get a notice. */
export type NoticeAudience = { to: 'class' } | { to: 'staff' } | { to: 'user'; userId: string };

export type SentListener = (classId: string, notice: ClassNotice, audience: NoticeAudience) => void;

function reaches(audience: NoticeAudience, connection: Connection<CollabContext>): boolean {
  switch (audience.to) {
    case 'class':
      return true;
    case 'staff':
      return !!connection.context.user && isStaff(connection.context.user.role);
    case 'user':
      return connection.context.user?.id === audience.userId;
    default: {
      const unknown: never = audience;
      throw new Error(`unknown notice audience ${JSON.stringify(unknown)}`);
    }
  }
}

export class ClassNotifier {
  private counter = 0;
  private readonly prefix = crypto.randomBytes(4).toString('hex');
  private readonly sentListeners: SentListener[] = [];

  constructor(private readonly collab: Pick<CollabService, 'connectionsOfClass'>) {}

  toClass(classId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, { to: 'class' });
  }

  toStaff(classId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, { to: 'staff' });
  }

  toUser(classId: string, userId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, { to: 'user', userId });
  }

  /**
   * A notice of each person's own (a notification) in one pass over the class's connections, however many
   * people get one: `noticeFor` is asked once per person, null for those who get none.
   */
  toEachUser(classId: string, noticeFor: (userId: string) => ClassNoticeInput | null): void {
    const payloads = new Map<string, string | null>();
    for (const connection of this.collab.connectionsOfClass(classId)) {
      const userId = connection.context.user?.id;
      if (userId === undefined) continue;
      let payload = payloads.get(userId);
      if (payload === undefined) {
        const input = noticeFor(userId);
        payload = input
          ? encodeCollabNotice({ ...input, id: `${this.prefix}-${++this.counter}` } as ClassNotice)
          : null;
        payloads.set(userId, payload);
      }
      if (payload !== null) connection.sendStateless(payload);
    }
  }

  /** Told of every notice sent with toClass, toStaff or toUser, after its push to the connections here. */
  onSent(listener: SentListener): void {
    this.sentListeners.push(listener);
  }

  /** Pushes a notice already made (relayed from another node) to its audience's connections here only. */
  deliverHere(classId: string, notice: ClassNotice, audience: NoticeAudience): void {
    const payload = encodeCollabNotice(notice);
    for (const connection of this.collab.connectionsOfClass(classId)) {
      if (reaches(audience, connection)) connection.sendStateless(payload);
    }
  }

  private send(classId: string, input: ClassNoticeInput, audience: NoticeAudience): ClassNotice {
    const notice = { ...input, id: `${this.prefix}-${++this.counter}` } as ClassNotice;
    this.deliverHere(classId, notice, audience);
    for (const listener of this.sentListeners) listener(classId, notice, audience);
    return notice;
  }
}
