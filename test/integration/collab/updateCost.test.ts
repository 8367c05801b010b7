// One participant cannot stall a class with an update that is cheap to send and costly to apply (issue #10,
// point 6): an update whose estimated cost is over MAX_UPDATE_OPERATIONS is refused (`update_too_costly`)
// before it touches the document, and each user's updates draw on one budget of operations and bytes across
// all their connections. Ordinary large edits (a pasted file, deleting a whole file) pass.
import { decodeCollabNotice, type UpdateRefusal } from '@tandem/shared';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type CollabClient, clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
let server: TestServer;
const { track, destroyAll } = clientTracker();

afterEach(async () => {
  destroyAll();
  await server?.stop();
});

async function join(sub: string, role: 'student' | 'instructor' = 'student'): Promise<CollabClient> {
  const client = track(connectCollab(server, DOC, await server.token({ sub, role })));
  await client.synced();
  return client;
}

function refusalsOf(client: CollabClient): UpdateRefusal[] {
  const seen: UpdateRefusal[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const notice = decodeCollabNotice(payload);
    if (notice?.type === 'updateRefused') seen.push({ code: notice.code, reason: notice.reason });
  });
  return seen;
}

/** The Hocuspocus frame of a sync update carrying `update` for DOC. */
function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Deletes one character out of every two of `client`'s clocks [0, 2n): n ranges, each splitting an item. */
function splittingDeletes(client: number, n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, n);
  for (let i = 0; i < n; i++) {
    encoding.writeVarUint(e, 2 * i + 1);
    encoding.writeVarUint(e, 1);
  }
  return encoding.toUint8Array(e);
}

const refused = async (code: string) => {
  const metric = await server.tandem.ctx.metrics.updatesRefused.get();
  return metric.values.find((v) => v.labels.code === code)?.value ?? 0;
};

describe('update cost limits', () => {
  it('refuses a delete set that splits too many items; the document and everyone else carry on', async () => {
    server = await startTestServer({ MAX_UPDATE_OPERATIONS: '5000' });
    const writer = await join('writer', 'instructor');
    writer.doc.getText('t').insert(0, 'z'.repeat(40_000));
    await writer.saved();
    const attacker = await join('attacker');
    const bystander = await join('bystander');
    const told = refusalsOf(attacker);

    // 10,000 ranges: two splits each, far over 5,000 operations, in 50 KB.
    attacker.socket.send(updateFrame(splittingDeletes(writer.doc.clientID, 10_000)));
    await waitFor(() => told.length === 1);
    expect(told[0]!.code).toBe('update_too_costly');
    expect(told[0]!.reason).toMatch(/too complex/);
    expect(await refused('update_too_costly')).toBe(1);

    // Nothing was applied, for anyone; everyone else's editing, and the attacker's own once back, still work.
    bystander.doc.getText('t').insert(0, 'b');
    const back = await join('attacker');
    back.doc.getText('t').insert(0, 'a');
    await waitFor(() => writer.doc.getText('t').length === 40_002);
    const reader = await join('reader');
    expect(reader.doc.getText('t').toString().replaceAll('z', '')).toHaveLength(2);

    // A few such ranges are ordinary editing and pass.
    const toldBack = refusalsOf(back);
    back.socket.send(updateFrame(splittingDeletes(writer.doc.clientID, 100)));
    await waitFor(() => writer.doc.getText('t').length === 40_002 - 100);
    expect(toldBack).toEqual([]);
  });

  it('accepts a pasted file and deleting a whole long-typed file', async () => {
    server = await startTestServer();
    const student = await join('student');
    const told = refusalsOf(student);
    const text = student.doc.getText('t');
    // Typed one character at a time at alternating ends: thousands of items that never merge.
    for (let i = 0; i < 4000; i++) text.insert(i % 2 === 0 ? 0 : text.length, 'k');
    await student.saved();
    text.insert(0, 'x'.repeat(600_000));
    await student.saved();
    text.delete(0, text.length);
    await student.saved();
    const reader = await join('reader');
    expect(reader.doc.getText('t').length).toBe(0);
    expect(told).toEqual([]);
  });

  it("draws every user's updates from one budget across connections; other users are not affected", async () => {
    // Bursts of two of the largest updates (2 x 1,000 operations), then 50 per second.
    server = await startTestServer({ MAX_UPDATE_OPERATIONS: '1000', USER_UPDATE_OPERATIONS_PER_SEC: '50' });
    const writer = await join('writer', 'instructor');
    writer.doc.getText('t').insert(0, 'z'.repeat(20_000));
    await writer.saved();
    const first = await join('sam');
    const second = await join('sam');
    const other = await join('other');
    const toldFirst = refusalsOf(first);
    const toldSecond = refusalsOf(second);
    const toldOther = refusalsOf(other);
    const client = writer.doc.clientID;
    /** ~960 operations: 400 splitting ranges (each 2 splits and the covered struct) at distinct places. */
    const chunk = (k: number) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, 400);
      for (let i = 0; i < 400; i++) {
        encoding.writeVarUint(e, 4 * (400 * k + i) + 1);
        encoding.writeVarUint(e, 1);
      }
      return encoding.toUint8Array(e);
    };
    first.socket.send(updateFrame(chunk(0)));
    second.socket.send(updateFrame(chunk(1)));
    await waitFor(() => writer.doc.getText('t').length === 20_000 - 800);
    // The third in a row from the same person, on either connection, is refused...
    second.socket.send(updateFrame(chunk(2)));
    await waitFor(() => toldSecond.length === 1);
    expect(toldSecond[0]!.code).toBe('update_too_costly');
    expect(toldSecond[0]!.reason).toMatch(/too fast/);
    // ...while someone else's budget is their own.
    other.socket.send(updateFrame(chunk(3)));
    await waitFor(() => writer.doc.getText('t').length === 20_000 - 1200);
    expect(toldOther).toEqual([]);
    expect(toldFirst).toEqual([]);
  });

  it("refuses bytes beyond a user's byte budget before decoding them", async () => {
    // Bursts of 8 x MAX_MESSAGE_BYTES = 80 KB, then 1 KB/s.
    server = await startTestServer({ MAX_MESSAGE_BYTES: '10000', USER_UPDATE_BYTES_PER_SEC: '1000' });
    const student = await join('student');
    const told = refusalsOf(student);
    const text = student.doc.getText('t');
    for (let i = 0; i < 8; i++) {
      text.insert(0, String(i).repeat(9000));
      await student.saved();
    }
    expect(told).toEqual([]);
    text.insert(0, 'over'.repeat(2000));
    await waitFor(() => told.length === 1);
    expect(told[0]!.code).toBe('update_too_costly');
    const reader = await join('reader');
    expect(reader.doc.getText('t').length).toBe(8 * 9000);
  });
});
