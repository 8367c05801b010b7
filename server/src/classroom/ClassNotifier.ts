// Pushes class notices to open document connections as collab stateless messages: to everyone in a class,
// to its staff, to one person (on every device they have open), or to many people each their own.
import crypto from 'node:crypto';
import type { Connection } from '@hocuspocus/server';
import { type ClassNotice, type ClassNoticeInput, encodeCollabNotice, isStaff } from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import type { CollabContext } from '../collab/context.ts';

type Audience = (connection: Connection<CollabContext>) => boolean;

export class ClassNotifier {
  private counter = 0;
  private readonly prefix = crypto.randomBytes(4).toString('hex');

  constructor(private readonly collab: Pick<CollabService, 'connectionsOfClass'>) {}

  toClass(classId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, () => true);
  }

  toStaff(classId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, (c) => !!c.context.user && isStaff(c.context.user.role));
  }

  toUser(classId: string, userId: string, notice: ClassNoticeInput): ClassNotice {
    return this.send(classId, notice, (c) => c.context.user?.id === userId);
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

  private send(classId: string, input: ClassNoticeInput, audience: Audience): ClassNotice {
    const notice = { ...input, id: `${this.prefix}-${++this.counter}` } as ClassNotice;
    const payload = encodeCollabNotice(notice);
    for (const connection of this.collab.connectionsOfClass(classId)) {
      if (audience(connection)) connection.sendStateless(payload);
    }
    return notice;
  }
}
