// Real providers against the real server: convergence, awareness identity, multiplexing, y-websocket bridge.
import { HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientTracker, connectCollab, connectYjs } from '../helpers/collabClient.ts';
import { STORAGE_ENGINES, startTestServerOn } from '../helpers/engineServer.ts';
import type { TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/waitFor.ts';

let server: TestServer;
const { track, destroyAll } = clientTracker();

describe.each(STORAGE_ENGINES)('sync: %s', (engine) => {
  beforeEach(async () => {
    server = await startTestServerOn(engine);
  });
  afterEach(async () => {
    destroyAll();
    await server.stop();
  });

  it('concurrent edits from many clients converge', async () => {
    const N = 12;
    const all = await Promise.all(
      Array.from({ length: N }, async (_, i) =>
        track(
          connectCollab(
            server,
            'class1/code/main',
            await server.token({ sub: `u${i}`, role: i === 0 ? 'instructor' : 'student' }),
          ),
        ),
      ),
    );
    await Promise.all(all.map((c) => c.synced()));
    for (let round = 0; round < 5; round++) {
      all.forEach((c, i) => {
        c.doc.getText('t').insert(0, `[${i}:${round}]`);
      });
    }
    const expectedLength = all.reduce((n, _c, i) => n + 5 * `[${i}:0]`.length, 0);
    await waitFor(() => all.every((c) => c.doc.getText('t').length === expectedLength), {
      timeoutMs: 10_000,
    });
    const first = all[0]!.doc.getText('t').toString();
    for (const c of all) expect(c.doc.getText('t').toString()).toBe(first);
    for (let i = 0; i < N; i++) for (let r = 0; r < 5; r++) expect(first).toContain(`[${i}:${r}]`);
  });

  it("an author's update is acknowledged and reaches the others, but is not sent back to the author", async () => {
    const author = track(
      connectCollab(server, 'class1/code/main', await server.token({ sub: 'ana', role: 'student' })),
    );
    const reader = track(
      connectCollab(server, 'class1/code/main', await server.token({ sub: 'li', role: 'student' })),
    );
    await Promise.all([author.synced(), reader.synced()]);
    // Whatever the initial sync still had in flight is acknowledged before counting starts.
    await author.saved();
    const frames: Uint8Array[] = [];
    author.socket.on('message', (event: MessageEvent) => frames.push(new Uint8Array(event.data)));
    const directBefore = server.tandem.ctx.metrics.counts.updatesDirect;
    for (let i = 0; i < 10; i++) {
      author.doc.getText('t').insert(i, 'x');
      await author.saved();
    }
    await waitFor(() => reader.doc.getText('t').toString() === 'x'.repeat(10));
    // What the author got back: one sync acknowledgement per update (type 8), no Yjs update (type 0).
    const types = frames.map((f) => f[1 + f[0]!]);
    expect(types.filter((t) => t === 8)).toHaveLength(10);
    expect(types.filter((t) => t === 0)).toHaveLength(0);
    // Updates on an established connection skip Hocuspocus's message pipeline (docs/collab.md).
    expect(server.tandem.ctx.metrics.counts.updatesDirect).toBeGreaterThan(directBefore);
  });

  it('awareness carries the identity from the token, not what the client claims', async () => {
    const a = track(
      connectCollab(
        server,
        'class1/code/main',
        await server.token({ sub: 'ana', name: 'Ana', role: 'student' }),
      ),
    );
    const b = track(
      connectCollab(
        server,
        'class1/code/main',
        await server.token({ sub: 'li', name: 'Li', role: 'instructor' }),
      ),
    );
    await Promise.all([a.synced(), b.synced()]);
    a.provider.setAwarenessField('user', {
      id: 'li',
      name: 'Li (fake)',
      role: 'instructor',
      color: '#ff0000',
    });
    a.provider.setAwarenessField('cursor', { line: 3 });
    const seen = await waitFor(() => {
      const state = b.provider.awareness?.getStates().get(a.doc.clientID);
      return state?.cursor ? state : undefined;
    });
    expect(seen.user).toEqual({ id: 'ana', name: 'Ana', role: 'student', color: '#ff0000' });
  });

  it('several documents share one socket', async () => {
    const token = await server.token({ sub: 'ana', role: 'student' });
    const socket = new HocuspocusProviderWebsocket({ url: `${server.wsUrl}/collab` });
    const code = track(connectCollab(server, 'class1/code/main', token, socket));
    const board = track(connectCollab(server, 'class1/board/main', token, socket));
    const mine = track(connectCollab(server, 'class1/ws/ana', token, socket));
    await Promise.all([code.synced(), board.synced(), mine.synced()]);
    code.doc.getText('t').insert(0, 'code');
    board.doc.getMap('m').set('k', 'board');
    mine.doc.getText('t').insert(0, 'mine');
    const other = track(
      connectCollab(server, 'class1/board/main', await server.token({ sub: 'li', role: 'student' })),
    );
    await waitFor(() => other.doc.getMap('m').get('k') === 'board');
    expect(server.tandem.ctx.collab.hocuspocus.getConnectionsCount()).toBe(2);
    // Each document's Y.Doc is named after it (extensions/documentGuid.ts), not given a random UUID.
    for (const name of ['class1/code/main', 'class1/board/main', 'class1/ws/ana'])
      expect(server.tandem.ctx.collab.hocuspocus.documents.get(name)?.guid).toBe(name);
    socket.destroy();
  });

  it('stock y-websocket clients edit the same document as Hocuspocus clients', async () => {
    const hp = track(
      connectCollab(server, 'class1/code/main', await server.token({ sub: 'ana', role: 'student' })),
    );
    const yws = track(
      connectYjs(server, 'class1/code/main', await server.token({ sub: 'li', name: 'Li', role: 'student' })),
    );
    await hp.synced();
    await waitFor(() => yws.provider.synced);
    hp.doc.getText('t').insert(0, 'from hocuspocus ');
    yws.doc.getText('t').insert(0, 'from y-websocket ');
    await waitFor(() => hp.doc.getText('t').length === 33 && yws.doc.getText('t').length === 33);
    expect(hp.doc.getText('t').toString()).toBe(yws.doc.getText('t').toString());
    // Awareness crosses the bridge too, with the server-set identity.
    yws.provider.awareness.setLocalStateField('user', { name: 'spoof' });
    const state = await waitFor(() => hp.provider.awareness?.getStates().get(yws.doc.clientID));
    expect(state.user).toMatchObject({ id: 'li', name: 'Li', role: 'student' });
  });
});
