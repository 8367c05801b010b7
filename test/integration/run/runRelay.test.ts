// The run relay against the real server: a writer's run events reach everyone else on the code document with
// the runner's identity set by the server; refusals (observers, students while code is locked, other document
// kinds, malformed, oversize and too-fast events) go back to the sender only and nothing is relayed. A staff-only
// run (staff running a student's workspace) reaches the other staff on the document and not the student.
import {
  decodeRunRelay,
  encodeRunPayload,
  MAX_RUN_MESSAGE_BYTES,
  type RunEvent,
  type RunRelay,
} from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CollabClient, clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

let server: TestServer;
const clients = clientTracker();

beforeAll(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  clients.destroyAll();
  await server.tandem.ctx.collab.setLocks('class1', { codeLocked: false });
});
afterAll(async () => {
  await server?.stop();
});

/** A client on `doc` that records every run relay message it receives. */
async function join(
  sub: string,
  role: 'instructor' | 'assistant' | 'student' | 'observer',
  doc = 'class1/code/main',
) {
  const client = clients.track(
    connectCollab(server, doc, await server.token({ sub, role, name: `${role} ${sub}` })),
  );
  const received: RunRelay[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const relay = decodeRunRelay(payload);
    if (relay) received.push(relay);
  });
  await client.synced();
  return { client, received };
}

const start = (runId = 'run-0000001'): RunEvent => ({
  type: 'start',
  runId,
  fileName: 'main.py',
  language: 'python',
  at: Date.now(),
});
const chunk = (seq: number, text = 'hello\n', runId = 'run-0000001'): RunEvent => ({
  type: 'output',
  runId,
  seq,
  stream: 'stdout',
  text,
});
const send = (client: CollabClient, message: unknown) =>
  client.provider.sendStateless(JSON.stringify({ tandemRun: message }));

async function refusalOf(received: RunRelay[]) {
  await waitFor(() => received.some((r) => r.kind === 'refused'), { timeoutMs: 5000, message: 'refusal' });
  return received.find((r) => r.kind === 'refused')!;
}

describe('run relay', () => {
  it("relays a writer's run to the others on the document, with the runner's identity from the server", async () => {
    const teacher = await join('ada', 'instructor');
    const student = await join('linus', 'student');
    const observer = await join('olga', 'observer');
    const exit: RunEvent = {
      type: 'exit',
      runId: 'run-0000001',
      outcome: 'ok',
      detail: null,
      durationMs: 12,
      truncated: false,
    };
    // A `by` the client makes up is not part of the event: the server names the runner itself.
    send(teacher.client, { ...start(), by: { id: 'someone-else', name: 'Mallory' } });
    send(teacher.client, chunk(0));
    teacher.client.provider.sendStateless(encodeRunPayload(exit));
    for (const viewer of [student, observer]) {
      await waitFor(() => viewer.received.length === 3, { timeoutMs: 5000, message: 'three relayed events' });
      expect(viewer.received.map((r) => (r.kind === 'event' ? r.event.type : r.kind))).toEqual([
        'start',
        'output',
        'exit',
      ]);
      for (const r of viewer.received)
        expect(r).toMatchObject({ kind: 'event', by: { id: 'ada', name: 'instructor ada' } });
    }
    // Not echoed back to the sender.
    expect(teacher.received).toEqual([]);
  });

  it('refuses runs from observers and from students while code is locked; nothing is relayed', async () => {
    const teacher = await join('ada', 'instructor');
    const observer = await join('olga', 'observer');
    send(observer.client, start());
    expect(await refusalOf(observer.received)).toMatchObject({ code: 'forbidden', runId: 'run-0000001' });

    const student = await join('linus', 'student');
    await server.tandem.ctx.collab.setLocks('class1', { codeLocked: true });
    send(student.client, start('run-0000002'));
    expect(await refusalOf(student.received)).toMatchObject({ code: 'forbidden', runId: 'run-0000002' });

    // A relayed event after the refusals proves the refused ones would have arrived by now (each socket's
    // messages keep their order; the two sockets are written to independently).
    send(teacher.client, start('run-0000003'));
    await waitFor(() => [observer, student].every((p) => p.received.some((r) => r.kind === 'event')), {
      timeoutMs: 5000,
    });
    const events = [...observer.received, ...student.received].filter((r) => r.kind === 'event');
    expect(events.map((r) => r.kind === 'event' && r.event.runId)).toEqual(['run-0000003', 'run-0000003']);
  });

  it('refuses runs on documents that are not code', async () => {
    const teacher = await join('ada', 'instructor', 'class1/board/main');
    send(teacher.client, start());
    expect(await refusalOf(teacher.received)).toMatchObject({ code: 'forbidden' });
  });

  it('refuses malformed and oversize events', async () => {
    const teacher = await join('ada', 'instructor');
    const student = await join('linus', 'student');
    send(teacher.client, { type: 'output', runId: 'run-0000001', seq: -1, stream: 'stdout', text: 'x' });
    expect(await refusalOf(teacher.received)).toMatchObject({ code: 'bad_request' });
    teacher.received.length = 0;

    send(teacher.client, { ...start(), language: 'cobol' });
    expect(await refusalOf(teacher.received)).toMatchObject({ code: 'bad_request' });
    teacher.received.length = 0;

    // A chunk over the size limit (a client that skips the runner's chunking).
    send(teacher.client, chunk(0, 'x'.repeat(MAX_RUN_MESSAGE_BYTES)));
    expect(await refusalOf(teacher.received)).toMatchObject({ code: 'too_large' });
    teacher.received.length = 0;

    // A chunk within the byte limit but over the chunk size.
    send(teacher.client, chunk(0, 'x'.repeat(20 * 1024)));
    expect(await refusalOf(teacher.received)).toMatchObject({ code: 'bad_request' });

    // Other stateless payloads are not run messages: no reply, no relay.
    teacher.client.provider.sendStateless('{"hello":1}');
    send(teacher.client, start('run-0000009'));
    await waitFor(() => student.received.length === 1, { timeoutMs: 5000 });
    expect(student.received[0]).toMatchObject({ kind: 'event', event: { runId: 'run-0000009' } });
  });

  it('refuses events past the per-person rate limit', async () => {
    const teacher = await join('ada', 'instructor');
    const student = await join('linus', 'student');
    send(teacher.client, start());
    for (let seq = 0; seq < 200; seq++) send(teacher.client, chunk(seq, 'y'));
    const refusal = await refusalOf(teacher.received);
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    // Each event either reached the student or was refused to the sender, never both: the burst got through.
    await waitFor(() => student.received.length + teacher.received.length === 201, {
      timeoutMs: 5000,
      message: 'every event relayed or refused',
    });
    expect(student.received.length).toBeGreaterThanOrEqual(100);
    expect(student.received.length).toBeLessThan(201);
    // Counted for operators.
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/tandem_run_events_total\{result="relayed"\} [1-9]/);
    expect(metrics).toMatch(/tandem_run_events_total\{result="rate_limited"\} [1-9]/);
  });

  it("relays a staff-only run on a student's workspace to the other staff, never to the student", async () => {
    const doc = 'class1/ws/linus';
    const teacher = await join('ada', 'instructor', doc);
    const assistant = await join('grace', 'assistant', doc);
    const student = await join('linus', 'student', doc);
    const exit: RunEvent = {
      type: 'exit',
      runId: 'run-staff01',
      outcome: 'ok',
      detail: null,
      durationMs: 5,
      truncated: false,
    };
    send(teacher.client, { ...start('run-staff01'), audience: 'staff' });
    send(teacher.client, chunk(0, 'secret\n', 'run-staff01'));
    send(teacher.client, exit);
    // Then a room run: once it reaches the student, the staff-only events would have arrived before it.
    send(teacher.client, start('run-room001'));
    await waitFor(() => assistant.received.length === 4, {
      timeoutMs: 5000,
      message: 'four events to staff',
    });
    expect(assistant.received.map((r) => r.kind === 'event' && [r.event.runId, r.event.type])).toEqual([
      ['run-staff01', 'start'],
      ['run-staff01', 'output'],
      ['run-staff01', 'exit'],
      ['run-room001', 'start'],
    ]);
    expect(assistant.received[0]).toMatchObject({ event: { audience: 'staff' }, by: { id: 'ada' } });
    await waitFor(() => student.received.length === 1, { timeoutMs: 5000, message: 'the room run' });
    expect(student.received[0]).toMatchObject({ kind: 'event', event: { runId: 'run-room001' } });
    expect(teacher.received).toEqual([]);
  });

  it('refuses a staff-only run from a student; nothing of it is relayed', async () => {
    const doc = 'class1/ws/linus';
    const teacher = await join('ada', 'instructor', doc);
    const student = await join('linus', 'student', doc);
    send(student.client, { ...start('run-stud001'), audience: 'staff' });
    expect(await refusalOf(student.received)).toMatchObject({ code: 'forbidden', runId: 'run-stud001' });
    send(student.client, { ...start('run-stud002'), audience: 'everyone' });
    await waitFor(() => student.received.filter((r) => r.kind === 'refused').length === 2, {
      timeoutMs: 5000,
    });
    expect(student.received[1]).toMatchObject({ kind: 'refused', code: 'bad_request', runId: 'run-stud002' });
    // The student's own room run still reaches staff, and is the only thing that did.
    send(student.client, start('run-stud003'));
    await waitFor(() => teacher.received.length === 1, { timeoutMs: 5000, message: 'the room run' });
    expect(teacher.received[0]).toMatchObject({ kind: 'event', event: { runId: 'run-stud003' } });
  });
});
