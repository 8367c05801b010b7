import type { ChatMessage, ClassNotice, ClassNoticeInput } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { mentionQuery } from '../../../client/src/classroom/chat/Composer.tsx';
import { formatTyping, TYPING_TIMEOUT_MS, typingNames } from '../../../client/src/classroom/chat/typing.ts';
import { threadsOf, unreadCount } from '../../../client/src/classroom/chat/useChatMessages.ts';
import { toastFor } from '../../../client/src/classroom/notices.ts';

const msg = (seq: number, patch: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  seq,
  authorId: 'ana',
  authorName: 'Ana',
  authorRole: 'student',
  text: `message ${seq}`,
  ts: seq,
  editedAt: null,
  replyTo: null,
  mentions: [],
  reactions: {},
  deleted: null,
  ...patch,
});

describe('typing indicator', () => {
  it('names others typing within the timeout, once per person, sorted', () => {
    const now = 100_000;
    const names = typingNames(
      [
        { userId: 'li', name: 'Li', seenAt: now - 1000 },
        { userId: 'ana', name: 'Ana', seenAt: now - 10 },
        { userId: 'ana', name: 'Ana', seenAt: now - 20 },
        { userId: 'me', name: 'Me', seenAt: now },
        { userId: 'bo', name: 'Bo', seenAt: now - TYPING_TIMEOUT_MS },
      ],
      'me',
      now,
    );
    expect(names).toEqual(['Ana', 'Li']);
    expect(formatTyping(names)).toBe('Ana and Li are typing');
  });

  it.each([
    [[], ''],
    [['Ana'], 'Ana is typing'],
    [['A', 'B', 'C'], 'A, B and C are typing'],
    [['A', 'B', 'C', 'D', 'E'], 'A, B and 3 others are typing'],
  ])('%j -> %j', (names, text) => {
    expect(formatTyping(names)).toBe(text);
  });
});

describe('threads and unread', () => {
  it('groups replies under their first message', () => {
    const threads = threadsOf([
      msg(1),
      msg(2, { replyTo: 'm1' }),
      msg(3),
      msg(4, { replyTo: 'm1' }),
      msg(5, { replyTo: 'gone' }),
    ]);
    expect(threads.map((t) => [t.root.id, t.replies.map((r) => r.id)])).toEqual([
      ['m1', ['m2', 'm4']],
      ['m3', []],
      ['m5', []],
    ]);
  });

  it('counts others’ live messages after the marker', () => {
    const messages = [
      msg(1),
      msg(2, { authorId: 'me' }),
      msg(3),
      msg(4, { deleted: { byId: 'x', byName: 'X', at: 1 } }),
    ];
    expect(unreadCount(messages, 0, 'me')).toBe(2);
    expect(unreadCount(messages, 1, 'me')).toBe(1);
  });
});

describe('composer mentions', () => {
  it('finds the @word before the caret', () => {
    expect(mentionQuery('hi @an', 6)).toBe('an');
    expect(mentionQuery('@', 1)).toBe('');
    expect(mentionQuery('mail a@b', 8)).toBeNull();
    expect(mentionQuery('hi @an there', 12)).toBeNull();
  });
});

describe('notifications', () => {
  const n = (notice: ClassNoticeInput) => ({ ...notice, id: 'n1' }) as ClassNotice;
  const ana = { id: 'ana', name: 'Ana' };
  const ines = { id: 'ines', name: 'Ines' };
  it('announce announcements and staff actions on me, not my own actions', () => {
    expect(toastFor(n({ type: 'announcement', text: 'Break', byName: 'Ines', at: 1 }), ana)).toMatchObject({
      kind: 'announcement',
      text: 'Break',
    });
    expect(toastFor(n({ type: 'hand', raised: false, byName: 'Ines' }), ana)?.text).toBe(
      'Ines lowered your hand.',
    );
    expect(toastFor(n({ type: 'hand', raised: false, byName: null }), ana)).toBeNull();
    expect(toastFor(n({ type: 'hands', queue: [] }), ana)).toBeNull();
    expect(toastFor(n({ type: 'mutedAll', byName: 'Ines', byId: 'ines' }), ana)?.text).toBe(
      'Ines muted everyone.',
    );
    // The one who muted everyone is not told about it, and the removed list only reloads the state.
    expect(
      toastFor(n({ type: 'mutedAll', byName: 'Ines', byId: 'ines' }), { id: 'ines', name: 'Ines' }),
    ).toBeNull();
    expect(toastFor(n({ type: 'removals' }), ana)).toBeNull();
  });

  it('tell the others, never the person who acted', () => {
    const own = [
      n({ type: 'announcement', text: 'Break', byName: 'Ines', at: 1, byId: 'ines' }),
      n({ type: 'followMe', leader: ines }),
      n({ type: 'stage', by: ines }),
      n({ type: 'mutedAll', byName: 'Ines', byId: 'ines' }),
      n({ type: 'session', sessionId: 's1', state: 'live', byId: 'ines' }),
      n({ type: 'spotlight', user: ana, documentName: 'c/ws/ana', byId: 'ines' }),
    ];
    for (const notice of own) {
      expect(toastFor(notice, ines), notice.type).toBeNull();
      expect(toastFor(notice, ana), notice.type).not.toBeNull();
    }
    expect(toastFor(n({ type: 'stage', by: ines }), ana)?.text).toBe('Ines brought everyone to the stage.');
    expect(toastFor(n({ type: 'stage', by: null }), ana)).toBeNull();
  });
});
