// PollService's timers over real SQLite storage, with fake timers (no sockets here): a poll with a timer closes
// at its deadline and is announced closed once even when staff close it at the same moment, and a restart
// closes polls whose deadline passed while the server was down.
import type { ClassNotice, ClassNoticeInput, PollDefinition } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassEvents } from '../../../server/src/classroom/ClassEvents.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { PollService } from '../../../server/src/polls/PollService.ts';
import { openTestStorage, type TestStorage } from '../../helpers/storageEngines.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const log = createLogger('silent');
const timed: PollDefinition = {
  title: 'Quick',
  kind: 'poll',
  anonymous: false,
  timerSeconds: 30,
  questions: [{ type: 'single', prompt: 'Ready?', options: ['yes', 'no'] }],
};

describe('PollService timers', () => {
  let t: TestStorage;
  let now: number;
  beforeEach(async () => {
    t = await openTestStorage('sqlite');
    now = 1_000_000;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await t.dispose();
  });

  const service = () => {
    const events = new ClassEvents(log);
    const closed: string[] = [];
    const notices: ClassNoticeInput[] = [];
    const record = (_classId: string, notice: ClassNoticeInput) => {
      notices.push(notice);
      return { ...notice, id: `n${notices.length}` } as ClassNotice;
    };
    events.on('pollClosed', (e) => {
      closed.push(e.pollId);
    });
    const polls = new PollService({
      store: t.storage.polls,
      sessions: { live: async () => null },
      notifier: { toClass: record, toStaff: record },
      events,
      audienceOf: async (root) => [root],
      log,
      now: () => now,
    });
    return { polls, closed, notices };
  };

  it('closes a poll at its deadline, once, even when staff close it at the same time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { polls, closed, notices } = service();
    const poll = await polls.create('c1', timed, 'ida');
    const launched = await polls.launch(poll.id, 'ida');
    expect(launched.closesAt).toBe(now + 30_000);
    now += 29_000;
    vi.advanceTimersByTime(29_000);
    expect((await polls.require(poll.id)).state).toBe('open');
    now += 1000;
    vi.advanceTimersByTime(1000);
    const staffClose = polls.close(poll.id, 'staff', 'ida');
    vi.useRealTimers();
    await waitFor(async () => (await polls.require(poll.id)).state === 'closed');
    await staffClose;
    expect(closed).toEqual([poll.id]);
    expect(notices.filter((n) => n.type === 'poll' && n.change === 'closed')).toHaveLength(1);
    polls.stop();
  });

  it('takes no answers once time is up, even before the timer fired', async () => {
    const { polls } = service();
    const poll = await polls.launch((await polls.create('c1', timed, null)).id, null);
    const ana = { id: 'ana', name: 'Ana', role: 'student' as const, classId: 'c1' };
    const body = { answers: [{ question: 0, value: { choices: [0] } }] };
    await polls.answer(poll, ana, body);
    now += 30_000;
    await expect(polls.answer(poll, ana, body)).rejects.toMatchObject({ code: 'conflict' });
    polls.stop();
  });

  it('closes on start the open polls whose deadline passed while it was down', async () => {
    const first = service();
    const poll = await first.polls.create('c1', timed, null);
    await first.polls.launch(poll.id, null);
    first.polls.stop();
    now += 60_000;
    const second = service();
    await second.polls.start();
    await waitFor(async () => (await second.polls.require(poll.id)).state === 'closed');
    expect(second.closed).toEqual([poll.id]);
    second.polls.stop();
  });
});
