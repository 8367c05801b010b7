// The update checks with DATABASE_URL set (collab-update-validation.test.ts covers them on SQLite): the
// documents are in PostgreSQL, the client-id bindings in SQLite under DATA_DIR. A foreign client id is refused
// and its binding holds across a restart; the size limit starts from what the PostgreSQL load read; a document
// whose bindings are gone (DATA_DIR replaced) lets each client id's first writer claim it, as documented.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCollabNotice, type UpdateRefusal } from '@tandem/shared';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CollabClient, clientTracker, connectCollab } from '../helpers/collabClient.ts';
import { createTestSchema, type PgTestSchema } from '../helpers/pg.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

const DOC = 'class1/code/main';
const SYNC = 0;
const UPDATE = 2;

let schema: PgTestSchema;
let server: TestServer | undefined;
const { track, destroyAll } = clientTracker();

function start(dataDir?: string, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ DATABASE_URL: schema.schemaUrl, ...env }, dataDir ? { dataDir } : {});
}

async function restart(env: Record<string, string> = {}, dataDir = server!.dataDir): Promise<void> {
  destroyAll();
  await server!.stop();
  server = await start(dataDir, env);
}

beforeEach(async () => {
  schema = await createTestSchema();
});
afterEach(async () => {
  destroyAll();
  await server?.stop();
  server = undefined;
  await schema.drop();
});

async function join(sub: string, role: 'student' | 'instructor' = 'student', doc?: Y.Doc) {
  const client = track(connectCollab(server!, DOC, await server!.token({ sub, role }), undefined, doc));
  await client.synced();
  return client;
}

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  encoding.writeVarUint(e, SYNC);
  encoding.writeVarUint(e, UPDATE);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** An insert under `victimClientId` at its next clock, built from what `attacker` has. */
function forgedInsert(attacker: Y.Doc, victimClientId: number, text: string): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(attacker));
  forged.clientID = victimClientId;
  const before = Y.encodeStateVector(forged);
  forged.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(forged, before);
}

function refusalsOf(client: CollabClient): UpdateRefusal[] {
  const seen: UpdateRefusal[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const notice = decodeCollabNotice(payload);
    if (notice?.type === 'updateRefused') seen.push({ code: notice.code, reason: notice.reason });
  });
  return seen;
}

describe('update checks on PostgreSQL', () => {
  it("refuse content under another user's client id, before and after a restart", async () => {
    server = await start();
    const victimDoc = new Y.Doc();
    const victim = await join('vic', 'student', victimDoc);
    const attacker = await join('mal');
    const refusals = refusalsOf(attacker);
    victim.doc.getText('t').insert(0, 'one');
    await victim.saved();
    await waitFor(() => attacker.doc.getText('t').toString() === 'one');
    attacker.socket.send(updateFrame(forgedInsert(attacker.doc, victimDoc.clientID, 'EVIL')));
    await waitFor(() => refusals.length === 1);
    expect(refusals[0]!.code).toBe('foreign_client');

    await restart();
    const back = await join('vic', 'student', victimDoc);
    back.doc.getText('t').insert(3, ' two');
    await back.saved();
    const attacker2 = await join('mal');
    const refusals2 = refusalsOf(attacker2);
    attacker2.socket.send(updateFrame(forgedInsert(attacker2.doc, victimDoc.clientID, 'EVIL')));
    await waitFor(() => refusals2.length === 1);
    expect(refusals2[0]!.code).toBe('foreign_client');
    expect((await join('rea')).doc.getText('t').toString()).toBe('one two');
  });

  it('measure the size limit from what the load read: a document over a lower limit opens, growth is refused', async () => {
    server = await start(undefined, { MAX_DOCUMENT_BYTES: '4000' });
    const writer = await join('ins', 'instructor');
    writer.doc.getText('t').insert(0, 'x'.repeat(3000));
    await writer.saved();

    await restart({ MAX_DOCUMENT_BYTES: '300' });
    const editor = await join('ins', 'instructor');
    expect(editor.doc.getText('t').length).toBe(3000);
    editor.doc.getText('t').delete(0, 2500);
    await editor.saved();
    const refused = refusalsOf(editor);
    editor.doc.getText('t').insert(0, 'more');
    await waitFor(() => refused.length === 1);
    expect(refused[0]!.code).toBe('document_too_large');
    expect((await join('rea')).doc.getText('t').toString()).toBe('x'.repeat(500));
  });

  it('let the first writer claim a client id whose binding is gone (DATA_DIR replaced)', async () => {
    server = await start();
    const victimDoc = new Y.Doc();
    const victim = await join('vic', 'student', victimDoc);
    victim.doc.getText('t').insert(0, 'one');
    await victim.saved();

    const freshDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
    await restart({}, freshDataDir);
    const back = await join('vic', 'student', victimDoc);
    const refusals = refusalsOf(back);
    back.doc.getText('t').insert(3, ' two');
    await back.saved();
    expect(refusals).toEqual([]);
    // Claimed again by its first writer: from now on it is the victim's.
    const attacker = await join('mal');
    const attackerRefusals = refusalsOf(attacker);
    attacker.socket.send(updateFrame(forgedInsert(attacker.doc, victimDoc.clientID, 'EVIL')));
    await waitFor(() => attackerRefusals.length === 1);
    expect(attackerRefusals[0]!.code).toBe('foreign_client');
  });
});
