// Coalesced socket writes (server/src/collab/tickWrites.ts) change how frames reach the kernel, never which
// frames a client gets or their order: real providers, one typing fast, others seeing every update in order.

import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { type CollabClient, clientTracker, connectCollab } from '../../helpers/collabClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const DOC = 'class1/code/main';
const KEYSTROKES = 300;
let server: TestServer;
const { track, destroyAll } = clientTracker();

/**
 * The author's clock ranges in each update frame `client` received, in arrival order (read off the socket, so a
 * reordered frame shows even though Yjs would repair the order on its own).
 */
function recordClocks(client: CollabClient, author: number): [number, number][] {
  const ranges: [number, number][] = [];
  client.socket.on('message', (event: MessageEvent) => {
    const decoder = decoding.createDecoder(new Uint8Array(event.data));
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== messageYjsUpdate) return;
    for (const struct of Y.decodeUpdate(decoding.readVarUint8Array(decoder)).structs) {
      if (struct.id.client === author) ranges.push([struct.id.clock, struct.id.clock + struct.length]);
    }
  });
  return ranges;
}

describe('coalesced socket writes', () => {
  beforeEach(async () => {
    // A flood limit above this test's burst: it checks delivery, not refusals.
    server = await startTestServer({ RATE_LIMIT_MESSAGES_PER_SEC: '5000', RATE_LIMIT_BURST: '5000' });
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  it('every reader gets every update of a fast typist, each exactly once and in order', async () => {
    const join = async (sub: string) => {
      const c = track(connectCollab(server, DOC, await server.token({ sub, role: 'student' })));
      await c.synced();
      return c;
    };
    const author = await join('ana');
    const readers = await Promise.all(['li', 'mo', 'kai'].map(join));
    const text = author.doc.getText('t');
    const clocks = readers.map((r) => recordClocks(r, author.doc.clientID));
    // Many keystrokes per event-loop turn, each its own transaction (its own update).
    for (let i = 0; i < KEYSTROKES; i++) text.insert(i, String.fromCharCode(97 + (i % 26)));
    await waitFor(() => readers.every((r) => r.doc.getText('t').length === KEYSTROKES), {
      timeoutMs: 15_000,
    });
    for (const [i, reader] of readers.entries()) {
      expect(reader.doc.getText('t').toString()).toBe(text.toString());
      // In order and without gaps or repeats: each update frame starts where the one before ended.
      const ranges = clocks[i]!;
      let next = 0;
      for (const [start, end] of ranges) {
        expect(start).toBe(next);
        next = end;
      }
      expect(next).toBe(KEYSTROKES);
      expect(reader.doc.store.pendingStructs).toBeNull();
    }
  });
});
