// Cross-node events through Redis, with two in-process nodes on PostgreSQL and Redis: a notification stored on
// a node that does not serve the class reaches the recipient's page on the node that does, exactly once; one
// stored on the serving node is not pushed twice (its own bus message is ignored); a class notice made on a
// node that does not serve the class (a poll closed by a timer armed there) reaches the class's pages;
// malformed, oversized and invalid bus messages are dropped and counted, and the subscriber keeps working.
import type { ChatMessage, ClassNotice, PollDefinition, UserNotification } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classroomOf } from '../../../server/src/classroom/index.ts';
import { BUS_MESSAGE_MAX_BYTES } from '../../../server/src/cluster/busMessages.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type InProcessCluster, startInProcessCluster } from '../../helpers/inProcessCluster.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { caller, collectNotices } from '../classroom/classroomApi.ts';

const CLASS = 'ev';
const API_KEY = 'platform-key-0123456789abcdef';
let cluster: InProcessCluster;
let n1: TestServer;
let n2: TestServer;
const clients: CollabClient[] = [];

beforeEach(async () => {
  cluster = await startInProcessCluster(2, { API_KEYS: API_KEY });
  [n1, n2] = cluster.nodes as [TestServer, TestServer];
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await cluster.stop();
});

/** Sam's page, open on n2, which thereby serves the class. */
async function samsPageOnN2(): Promise<ClassNotice[]> {
  const token = await n2.token({ sub: 'sam', role: 'student', cls: CLASS });
  const page = connectCollab(n2, `${CLASS}/code/main`, token);
  clients.push(page);
  await page.synced();
  expect(await cluster.leaseOf(CLASS)).toMatch(/ n2$/);
  return collectNotices(page);
}

/** A chat message mentioning sam, as the chat service reports it (the event is raised on `node`). */
function mentionSam(node: TestServer, text: string): void {
  const message: ChatMessage = {
    id: `m-${text}`,
    seq: 1,
    authorId: 'ida',
    authorName: 'Ida',
    authorRole: 'instructor',
    text,
    ts: Date.now(),
    editedAt: null,
    replyTo: null,
    mentions: ['sam'],
    reactions: {},
    deleted: null,
  };
  const room = classroomOf(node.tandem.ctx);
  if (!room) throw new Error('no classroom');
  room.events.emit('chatPosted', {
    classId: CLASS,
    rootClassId: CLASS,
    room: 'main',
    message,
    threadAuthorId: null,
  });
}

const pushedTexts = (notices: ClassNotice[]) =>
  notices.flatMap((n) => (n.type === 'notification' ? [n.notification.text] : []));

async function droppedOn(node: TestServer, reason: string): Promise<number> {
  const metric = await node.tandem.ctx.metrics.clusterBusDropped.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('cluster events', () => {
  it('a notification stored on another node reaches the page on the serving node, once', async () => {
    const notices = await samsPageOnN2();
    mentionSam(n1, 'from n1');
    await waitFor(() => pushedTexts(notices).includes('from n1'), { timeoutMs: 5000 });
    // On the serving node itself: pushed locally, and its own bus message ignored.
    mentionSam(n2, 'from n2');
    await waitFor(() => pushedTexts(notices).includes('from n2'), { timeoutMs: 5000 });
    // A last one through the bus: anything published before it has arrived by the time it does.
    mentionSam(n1, 'marker');
    await waitFor(() => pushedTexts(notices).includes('marker'), { timeoutMs: 5000 });
    expect(pushedTexts(notices)).toEqual(['from n1', 'from n2', 'marker']);
    // Stored once each, whichever node stored it.
    const token = await n1.token({ sub: 'sam', role: 'student', cls: CLASS });
    const inbox = await fetch(`${n1.httpUrl}/api/classes/${CLASS}/notifications`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { notifications } = (await inbox.json()) as { notifications: UserNotification[] };
    expect(notifications.map((n) => n.text)).toEqual(['marker', 'from n2', 'from n1']);
  });

  it('a class notice made on a node that does not serve the class reaches the pages on the one that does', async () => {
    const notices = await samsPageOnN2();
    expect((await caller(n1, API_KEY)('POST', '/api/classes', { id: CLASS, title: 'Loops' })).status).toBe(
      201,
    );
    const poll: PollDefinition = {
      title: 'Favourite loop',
      kind: 'poll',
      anonymous: false,
      timerSeconds: null,
      questions: [{ type: 'single', prompt: 'Which?', options: ['for', 'while'] }],
    };
    const created = await caller(n1, API_KEY)<{ poll: { id: string } }>(
      'POST',
      `/api/classes/${CLASS}/polls`,
      {
        definition: poll,
        launch: true,
      },
    );
    expect(created.status, created.text).toBe(201);
    const pollId = created.body.poll.id;
    const changes = () =>
      notices.flatMap((n) => (n.type === 'poll' && n.pollId === pollId ? [n.change] : []));
    await waitFor(() => changes().includes('opened'), { timeoutMs: 5000 });
    // What n1's timer for the poll would do, had n1 armed one at start.
    const n1Room = classroomOf(n1.tandem.ctx);
    if (!n1Room) throw new Error('no classroom');
    expect(await n1Room.polls.close(pollId, 'timer', null)).toBe(true);
    await waitFor(() => changes().includes('closed'), { timeoutMs: 5000 });
    expect(changes()).toEqual(['opened', 'closed']);
    expect(await cluster.leaseOf(CLASS)).toMatch(/ n2$/);
  });

  it('malformed, oversized and invalid bus messages are dropped and counted; valid ones still pass', async () => {
    const notices = await samsPageOnN2();
    // Ready, Redis included, before and after.
    const ready = await (await fetch(`${n2.httpUrl}/readyz`)).json();
    expect(ready.checks.redis).toEqual({ ok: true });
    const publisher = cluster.redis.connect();
    const channel = `${cluster.redis.keyPrefix}bus`;
    const notification: UserNotification = {
      id: 999_999,
      userId: 'sam',
      classId: CLASS,
      kind: 'mention',
      title: 'Ida mentioned you',
      text: 'valid',
      link: null,
      createdAt: Date.now(),
      readAt: null,
    };
    const valid = { v: 1, kind: 'notifications', from: 'elsewhere', classId: CLASS, notifications: [] };
    await publisher.publish(channel, 'not json {');
    await publisher.publish(channel, 'x'.repeat(BUS_MESSAGE_MAX_BYTES + 1));
    await publisher.publish(channel, JSON.stringify({ ...valid, notifications: [notification], v: 2 }));
    await publisher.publish(
      channel,
      JSON.stringify({ ...valid, notifications: [{ ...notification, text: 'bad', id: -1 }] }),
    );
    await publisher.publish(
      channel,
      JSON.stringify({ ...valid, classId: '../x', notifications: [{ ...notification, text: 'bad' }] }),
    );
    await publisher.publish(channel, JSON.stringify({ ...valid, notifications: [notification] }));
    await waitFor(() => pushedTexts(notices).includes('valid'), { timeoutMs: 5000 });
    // Each node reads the channel on its own connection: n1 may still be reading when n2 is done.
    for (const node of [n1, n2]) {
      await waitFor(async () => (await droppedOn(node, 'invalid')) === 3, { timeoutMs: 5000 });
      expect(await droppedOn(node, 'not_json')).toBe(1);
      expect(await droppedOn(node, 'too_large')).toBe(1);
    }
    expect(pushedTexts(notices)).toEqual(['valid']);
    expect((await fetch(`${n2.httpUrl}/readyz`)).status).toBe(200);
  });
});
