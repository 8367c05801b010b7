// Routes that name a poll or a recording by its own id, with three in-process nodes: the node a request lands
// on finds the class in storage and forwards to the class's owner, so a vote and a close landing on other
// nodes act on the owner's in-memory state (the owner's staff pages hear of the answers and the close), and
// with the owner's port gone those routes answer 502 at another node instead of being served there. A node
// taking a class over times its open polls: a poll launched on a node that then drains still closes on time.
import type { ClassNotice, PollDefinition } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newManifest } from '../../../server/src/recording/newManifest.ts';
import { type CollabClient, connectCollab } from '../../helpers/collabClient.ts';
import { type InProcessCluster, startInProcessCluster } from '../../helpers/inProcessCluster.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { caller, collectNotices, person } from '../classroom/classroomApi.ts';

const CLASS = 'pc';
const API_KEY = 'platform-key-0123456789abcdef';
const poll: PollDefinition = {
  title: 'Favourite loop',
  kind: 'poll',
  anonymous: false,
  timerSeconds: null,
  questions: [{ type: 'single', prompt: 'Which loop do you use most?', options: ['for', 'while'] }],
};

let cluster: InProcessCluster;
let n1: TestServer;
let n2: TestServer;
let n3: TestServer;
const clients: CollabClient[] = [];

beforeEach(async () => {
  cluster = await startInProcessCluster(3, { API_KEYS: API_KEY });
  [n1, n2, n3] = cluster.nodes as [TestServer, TestServer, TestServer];
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await cluster.stop();
});

const pollChanges = (notices: ClassNotice[], pollId: string) =>
  notices.flatMap((n) => (n.type === 'poll' && n.pollId === pollId ? [n.change] : []));

describe('owner routing of id-addressed routes', () => {
  it('a vote and a close landing on non-owners act on the owner; with the owner unreachable they get 502', async () => {
    // Ida's page opens on n2, which thereby owns the class.
    const ida = await person(n2, 'ida', 'instructor', CLASS);
    const page = connectCollab(n2, `${CLASS}/code/main`, ida.token);
    clients.push(page);
    await page.synced();
    expect(await cluster.leaseOf(CLASS)).toMatch(/ n2$/);
    const notices = collectNotices(page);

    const platform = caller(n1, API_KEY);
    expect((await platform('POST', '/api/classes', { id: CLASS, title: 'Loops' })).status).toBe(201);
    const roster = await platform('PUT', `/api/classes/${CLASS}/roster`, {
      members: [
        { userId: 'ida', name: 'Ida', role: 'instructor' },
        { userId: 'sam', name: 'Sam', role: 'student' },
      ],
    });
    expect(roster.status, roster.text).toBe(200);
    const created = await caller(n1, ida.token)<{ poll: { id: string; closesAt: number } }>(
      'POST',
      `/api/classes/${CLASS}/polls`,
      { definition: poll, launch: true },
    );
    expect(created.status, created.text).toBe(201);
    const pollId = created.body.poll.id;
    await waitFor(() => pollChanges(notices, pollId).includes('opened'), { timeoutMs: 5000 });

    // The vote lands on n3: the owner counts it and tells its staff pages that answers arrived.
    const sam = await person(n3, 'sam', 'student', CLASS);
    const voted = await sam.api('PUT', `/api/polls/${pollId}/answers`, {
      answers: [{ question: 0, value: { choices: [1] } }],
    });
    expect(voted.status, voted.text).toBe(200);
    await waitFor(() => pollChanges(notices, pollId).includes('answered'), { timeoutMs: 5000 });

    // The close lands on n1: the owner closes it and tells the class.
    const closed = await caller(n1, ida.token)<{ poll: { state: string } }>(
      'POST',
      `/api/polls/${pollId}/close`,
    );
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.poll.state).toBe('closed');
    await waitFor(() => pollChanges(notices, pollId).includes('closed'), { timeoutMs: 5000 });
    expect(await cluster.leaseOf(CLASS)).toMatch(/ n2$/);

    // A recording of the class, stored as the recording service stores one.
    const session = await caller(n1, ida.token)<{ session: { id: string } }>(
      'POST',
      `/api/classes/${CLASS}/sessions`,
      {},
    );
    expect(session.status, session.text).toBe(201);
    const recording = newManifest(session.body.session.id, CLASS, 'ida', 'scheduled');
    await n1.tandem.ctx.storage.recordings.create(recording, Date.now());
    expect((await caller(n3, ida.token)('GET', `/api/recordings/${recording.id}`)).status).toBe(200);

    // n2's port closes while its lease and registry entry live on: n1 and n3 forward, and get no answer.
    // (The page goes first: the server's close waits for its upgraded socket.)
    page.destroy();
    await new Promise<void>((resolve) => {
      n2.tandem.server.close(() => resolve());
      n2.tandem.server.closeAllConnections();
    });
    for (const [node, path] of [
      [n1, `/api/polls/${pollId}`],
      [n3, `/api/polls/${pollId}/results`],
      [n3, `/api/recordings/${recording.id}`],
      [n1, `/api/recordings/${recording.id}/exports`],
    ] as const) {
      const reply = await caller(node, ida.token)('GET', path);
      expect(reply.status, `${path} at ${node.httpUrl}`).toBe(502);
    }
    // An unknown poll is answered where it lands.
    expect((await caller(n1, ida.token)('GET', '/api/polls/poll-unknown')).status).toBe(404);
  });

  it('a poll with a time limit closes on time after the node that launched it drained', async () => {
    const platform = caller(n1, API_KEY);
    expect((await platform('POST', '/api/classes', { id: CLASS, title: 'Loops' })).status).toBe(201);
    const ida = await person(n2, 'ida', 'instructor', CLASS);
    // n2 takes the class, and the poll is launched there (n1 forwards): only n2 times it.
    expect((await ida.api('GET', `/api/classes/${CLASS}/polls`)).status).toBe(200);
    expect(await cluster.leaseOf(CLASS)).toMatch(/ n2$/);
    const created = await caller(n1, ida.token)<{ poll: { id: string; closesAt: number } }>(
      'POST',
      `/api/classes/${CLASS}/polls`,
      { definition: { ...poll, timerSeconds: 10 }, launch: true },
    );
    expect(created.status, created.text).toBe(201);
    const pollId = created.body.poll.id;
    const deadline = created.body.poll.closesAt;
    expect(deadline).toBeGreaterThan(Date.now());
    // n2 drains (releasing the class); the next request, at n1, makes n1 the owner.
    await n2.stop();
    cluster.nodes.splice(cluster.nodes.indexOf(n2), 1);
    expect((await caller(n1, ida.token)('GET', `/api/classes/${CLASS}/polls`)).status).toBe(200);
    expect(await cluster.leaseOf(CLASS)).toMatch(/ n1$/);
    const closed = await waitFor(
      async () => {
        const reply = await caller(n3, ida.token)<{
          poll: { state: string; closedAt: number | null };
        }>('GET', `/api/polls/${pollId}`);
        return reply.body.poll.state === 'closed' && reply.body.poll;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    // By the timer, at its deadline (a timer may fire a millisecond or two before Date.now() reaches it).
    expect(
      Math.abs((closed.closedAt ?? 0) - deadline),
      `closed at ${closed.closedAt}, due ${deadline}`,
    ).toBeLessThan(2000);
  }, 40_000);
});
