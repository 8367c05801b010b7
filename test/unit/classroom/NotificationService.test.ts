// Who gets a notification for which class event, with fake stores: announcements and class starts to the
// whole class (roster, present, attending the live session) but the one who caused them, mentions to the
// mentioned (main rooms only), replies to the thread's author (not their own replies, not twice with a
// mention), polls to students; stored in one batch, then pushed to each recipient's pages only.
import type { ChatMessage, ClassNoticeInput, Role, UserNotification } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { ClassEvents } from '../../../server/src/classroom/ClassEvents.ts';
import { NotificationService } from '../../../server/src/classroom/NotificationService.ts';
import { createLogger } from '../../../server/src/logger.ts';
import type { NewNotification } from '../../../server/src/storage/types/notifications.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const log = createLogger('silent');
const member = (userId: string, role: Role = 'student') => ({ userId, name: userId, role });

function setup(
  opts: {
    roster?: ReturnType<typeof member>[];
    present?: { id: string; role: Role }[];
    attendees?: ReturnType<typeof member>[];
    live?: boolean;
    /** The first roster read takes a while (as a slow database would). */
    slowFirstRoster?: boolean;
  } = {},
) {
  const batches: { classId: string; entries: NewNotification[]; at: number }[] = [];
  let rosterReads = 0;
  const pushed: { classId: string; userId: string; notice: ClassNoticeInput }[] = [];
  let nextId = 1;
  const service = new NotificationService({
    store: {
      async add(classId, entries, at) {
        batches.push({ classId, entries: [...entries], at });
        return entries.map(
          (e): UserNotification => ({ ...e, id: nextId++, classId, createdAt: at, readAt: null }),
        );
      },
      unreadCount: async () => 0,
      inbox: async () => ({ notifications: [], unreadCount: 0 }),
      markRead: async () => 0,
      markAllRead: async () => 0,
    },
    classes: {
      roster: async () => {
        if (opts.slowFirstRoster && rosterReads++ === 0) await new Promise((r) => setTimeout(r, 30));
        return opts.roster ?? [];
      },
    },
    tracker: { present: () => (opts.present ?? []).map((p) => ({ ...p, name: p.id })) },
    sessions: { live: async () => (opts.live ? ({ id: 's1' } as never) : null) },
    attendance: {
      people: async () =>
        (opts.attendees ?? []).map((a) => ({ ...a, messages: 0, handsRaised: 0, speakingMs: 0 })),
    },
    notifier: {
      toEachUser(classId, noticeFor) {
        // The pages open in each class: everyone of the fixture plus someone who gets nothing.
        for (const userId of ['ana', 'ben', 'ida', 'li', 'obs', 'stranger']) {
          const notice = noticeFor(userId);
          if (notice) pushed.push({ classId, userId, notice });
        }
      },
    },
    audienceOf: async (root) => [root, `${root}-g1`],
    log,
    now: () => 42,
  });
  const recipients = () => batches.flatMap((b) => b.entries.map((e) => e.userId)).sort();
  return { service, batches, pushed, recipients };
}

const message = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'm2-abc',
  seq: 2,
  authorId: 'ben',
  authorName: 'Ben',
  authorRole: 'student',
  text: 'hello @ana and @ida',
  ts: 1,
  editedAt: null,
  replyTo: null,
  mentions: ['ana', 'ida'],
  reactions: {},
  deleted: null,
  ...over,
});

const chat = (msg: ChatMessage, threadAuthorId: string | null = null, room = 'main') => ({
  classId: 'c1',
  rootClassId: 'c1',
  room,
  message: msg,
  threadAuthorId,
});

describe('NotificationService fan-out', () => {
  it('an announcement goes to roster, present and live attendees once each, not to the one who announced', async () => {
    const { service, batches, recipients } = setup({
      roster: [member('ana'), member('ida', 'instructor')],
      present: [
        { id: 'ana', role: 'student' },
        { id: 'obs', role: 'observer' },
      ],
      attendees: [member('li')],
      live: true,
    });
    await service.handleAnnouncement({
      classId: 'c1',
      text: '  Break\nuntil 3 ',
      at: 5,
      by: { id: 'ida', name: 'Ida' },
    });
    expect(batches).toHaveLength(1);
    expect(recipients()).toEqual(['ana', 'li', 'obs']);
    expect(batches[0]!.entries[0]).toMatchObject({
      kind: 'announcement',
      title: 'Announcement from Ida',
      text: 'Break until 3',
      link: null,
    });
  });

  it('stores first, then pushes each recipient their own notification on every class of the audience', async () => {
    const { service, pushed } = setup({ roster: [member('ana'), member('ben')] });
    await service.handleAnnouncement({
      classId: 'c1',
      text: 'hi',
      at: 5,
      by: { id: null, name: 'Platform' },
    });
    expect(pushed.map((p) => `${p.classId}:${p.userId}`).sort()).toEqual([
      'c1-g1:ana',
      'c1-g1:ben',
      'c1:ana',
      'c1:ben',
    ]);
    const ana = pushed.find((p) => p.userId === 'ana')!.notice;
    expect(ana).toMatchObject({ type: 'notification', notification: { userId: 'ana', classId: 'c1' } });
  });

  it('cuts long texts to an excerpt', async () => {
    const { service, batches } = setup({ roster: [member('ana')] });
    await service.handleAnnouncement({
      classId: 'c1',
      text: 'x'.repeat(1000),
      at: 5,
      by: { id: 'ida', name: 'I' },
    });
    const text = batches[0]!.entries[0]!.text;
    expect([...text]).toHaveLength(300);
    expect(text.endsWith('…')).toBe(true);
  });

  it('mentions notify the mentioned, not the author mentioning themselves', async () => {
    const { service, batches, recipients } = setup();
    await service.handleChatPosted(chat(message({ mentions: ['ana', 'ida', 'ben'] })));
    expect(recipients()).toEqual(['ana', 'ida']);
    expect(batches[0]!.classId).toBe('c1');
    expect(batches[0]!.entries[0]).toMatchObject({
      kind: 'mention',
      title: 'Ben mentioned you',
      text: 'hello @ana and @ida',
      link: { type: 'chat', classId: 'c1', room: 'main', messageId: 'm2-abc' },
    });
  });

  it('mentions in a pair room notify nobody; a reply there still reaches the thread author', async () => {
    const { service, recipients } = setup();
    await service.handleChatPosted(chat(message(), 'li', 'pair-ana-ben'));
    expect(recipients()).toEqual(['li']);
  });

  it('a reply notifies the thread author, not when they reply to themselves, once when also mentioned', async () => {
    const first = setup();
    await first.service.handleChatPosted(chat(message({ mentions: [], replyTo: 'm1' }), 'li'));
    expect(first.batches[0]!.entries).toEqual([
      expect.objectContaining({ userId: 'li', kind: 'reply', title: 'Ben replied to your thread' }),
    ]);
    const own = setup();
    await own.service.handleChatPosted(chat(message({ mentions: [], replyTo: 'm1' }), 'ben'));
    expect(own.batches).toEqual([]);
    const both = setup();
    await both.service.handleChatPosted(chat(message({ mentions: ['li'], replyTo: 'm1' }), 'li'));
    expect(both.batches[0]!.entries.map((e) => [e.userId, e.kind])).toEqual([['li', 'mention']]);
  });

  it('a message in a breakout group is kept in the main class and links to the group’s room', async () => {
    const { service, batches } = setup();
    await service.handleChatPosted({ ...chat(message({ mentions: ['ana'] })), classId: 'c1-grp' });
    expect(batches[0]!.classId).toBe('c1');
    expect(batches[0]!.entries[0]!.link).toMatchObject({ classId: 'c1-grp', room: 'main' });
  });

  it('a class start notifies everyone but who started it; a poll only the students', async () => {
    const roster = [member('ana'), member('ben'), member('ida', 'instructor'), member('obs', 'observer')];
    const started = setup({ roster });
    await started.service.handleSessionStarted({ classId: 'c1', sessionId: 's9', at: 1, byId: 'ida' });
    expect(started.recipients()).toEqual(['ana', 'ben', 'obs']);
    expect(started.batches[0]!.entries[0]).toMatchObject({
      kind: 'classStarted',
      link: { type: 'session', sessionId: 's9' },
    });
    const poll = setup({ roster });
    await poll.service.handlePollStarted({
      classId: 'c1',
      sessionId: 's9',
      pollId: 'p1',
      title: 'Which loop?',
      at: 1,
      byId: 'ida',
    });
    expect(poll.recipients()).toEqual(['ana', 'ben']);
    expect(poll.batches[0]!.entries[0]).toMatchObject({
      kind: 'pollStarted',
      text: 'Which loop?',
      link: { type: 'poll', pollId: 'p1' },
    });
  });

  it('stores a class’s events in the order they happened, at the time they happened', async () => {
    const { service, batches } = setup({ roster: [member('ana')], slowFirstRoster: true });
    const events = new ClassEvents(log);
    service.listen(events);
    events.emit('sessionStarted', { classId: 'c1', sessionId: 's1', at: 100, byId: 'ida' });
    events.emit('announcement', {
      classId: 'c1',
      text: 'right after',
      at: 101,
      by: { id: 'ida', name: 'I' },
    });
    await waitFor(() => batches.length === 2);
    expect(batches.map((b) => [b.entries[0]!.kind, b.at])).toEqual([
      ['classStarted', 100],
      ['announcement', 101],
    ]);
  });

  it('nobody to notify stores nothing', async () => {
    const { service, batches, pushed } = setup({ roster: [member('ida', 'instructor')] });
    await service.handleAnnouncement({ classId: 'c1', text: 'hi', at: 5, by: { id: 'ida', name: 'Ida' } });
    expect(batches).toEqual([]);
    expect(pushed).toEqual([]);
  });

  it('listens to the class events until unsubscribed', async () => {
    const { service, batches } = setup({ roster: [member('ana')] });
    const events = new ClassEvents(log);
    const off = service.listen(events);
    events.emit('announcement', { classId: 'c1', text: 'one', at: 1, by: { id: 'ida', name: 'Ida' } });
    events.emit('pollStarted', {
      classId: 'c1',
      sessionId: null,
      pollId: 'p',
      title: 'Q',
      at: 1,
      byId: null,
    });
    await waitFor(() => batches.length === 2);
    off();
    events.emit('announcement', { classId: 'c1', text: 'two', at: 2, by: { id: 'ida', name: 'Ida' } });
    await new Promise((r) => setImmediate(r));
    expect(batches.map((b) => b.entries[0]!.kind)).toEqual(['announcement', 'pollStarted']);
  });
});
