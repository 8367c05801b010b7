// Valid frames of both document protocols, built field by field so mutators know where the varints are:
// Hocuspocus (`/collab`: document address, message type, payload) and y-websocket (`/yjs/<doc>`: message
// type, payload), carrying hand-built Yjs updates (chosen client ids, clocks, delete ranges) and awareness
// updates (chosen client ids, clocks, states), plus updates produced by a real Y.Doc.
import { MessageType } from '@hocuspocus/server';
import * as Y from 'yjs';
import { type Frame, FrameWriter, mutateJson } from './mutate.ts';
import type { Rng } from './prng.ts';

/** What a frame generator may refer to: the witnesses' client ids, to impersonate them. */
export interface FrameContext {
  witnessClientIds: readonly number[];
}

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

function pickClientId(rng: Rng, ctx: FrameContext): number {
  return rng.weighted([
    [4, rng.int(1, 2 ** 31)],
    [3, rng.pick(ctx.witnessClientIds)],
    [1, rng.pick([0, 1, 2 ** 32 - 1, 2 ** 53 - 1])],
  ]);
}

/** A Yjs v1 update with one run of string items and an optional delete set, every field chosen. */
export function yjsUpdate(rng: Rng, ctx: FrameContext): Frame {
  const w = new FrameWriter();
  const structs = rng.weighted([
    [6, 1],
    [2, 0],
    [1, 3],
  ]);
  w.uint(structs ? 1 : 0);
  if (structs) {
    w.uint(structs)
      .uint(pickClientId(rng, ctx))
      .uint(
        rng.weighted([
          [5, rng.int(0, 50)],
          [2, rng.int(0, 5000)],
          [1, 2 ** 31],
        ]),
      );
    for (let i = 0; i < structs; i++) {
      // Info byte 4 = ContentString with no origins: the parent is named by a root type key.
      w.raw(new Uint8Array([4]))
        .uint(1)
        .string(rng.pick(['w', 'f', 't', 'content', '', 'x'.repeat(300)]));
      // Now and then a large insert (up to just under the default 8 MiB message limit).
      const length = rng.chance(0.01) ? rng.pick([1 << 20, 4 << 20, (8 << 20) - 4096]) : rng.size(5000);
      w.string('z'.repeat(length) || 'a');
    }
  }
  // Delete set: client, ranges of (clock, length); ranges beyond any known clock are "future deletes".
  const dsClients = rng.weighted([
    [3, 0],
    [3, 1],
    [1, 2],
  ]);
  w.uint(dsClients);
  for (let c = 0; c < dsClients; c++) {
    const ranges = rng.weighted([
      [5, 1],
      [1, 3],
    ]);
    w.uint(pickClientId(rng, ctx)).uint(ranges);
    for (let r = 0; r < ranges; r++)
      w.uint(
        rng.weighted([
          [3, rng.int(0, 20)],
          [2, rng.int(100, 10_000)],
          [1, 2 ** 31],
        ]),
      ).uint(
        rng.weighted([
          [4, rng.int(1, 10)],
          [1, 2 ** 30],
        ]),
      );
  }
  return w.done();
}

/** An update made by a real Y.Doc doing ordinary edits (text, map, array, delete). */
export function realUpdate(rng: Rng): Frame {
  const doc = new Y.Doc();
  doc.clientID = rng.int(1, 2 ** 31);
  let captured: Uint8Array = new Uint8Array([0, 0]);
  doc.on('update', (u: Uint8Array) => {
    captured = u;
  });
  const text = doc.getText(rng.pick(['f', 't']));
  text.insert(0, 'x'.repeat(rng.int(1, 40)));
  doc.transact(() => {
    if (rng.chance(0.5)) text.delete(0, rng.int(1, 3));
    if (rng.chance(0.5))
      doc.getMap('m').set(rng.pick(['a', 'b', '__proto__']), rng.pick<unknown>([1, 'v', { n: [1, 2] }]));
    if (rng.chance(0.5)) doc.getArray('a').push([rng.int(0, 9), 'q']);
    if (rng.chance(0.3)) doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p')]);
  });
  const whole = Y.encodeStateAsUpdate(doc);
  return { bytes: rng.chance(0.5) ? whole : captured, varints: [] };
}

/** An awareness update: entries of (client id, clock, JSON state), possibly many, possibly impersonating. */
export function awarenessUpdate(rng: Rng, ctx: FrameContext): Frame {
  const w = new FrameWriter();
  const n = rng.weighted([
    [6, 1],
    [2, rng.int(2, 10)],
    [1, rng.pick([100, 1000, 5000])],
  ]);
  w.uint(n);
  for (let i = 0; i < n; i++) {
    const state = rng.weighted<string>([
      [4, JSON.stringify({ user: { name: 'fz', color: '#f00' }, cursor: { anchor: rng.int(0, 99) } })],
      [2, 'null'],
      [1, mutateJson(rng, { user: { id: 'wit-ins', name: 'x', role: 'instructor' }, cursor: null }).text],
      [1, rng.pick(['{', '"x"', '[]', '1', `{"big":"${'b'.repeat(rng.pick([1000, 100_000]))}"}`])],
    ]);
    // A clock above the owner's makes an entry win over the owner's own later updates.
    const clientId =
      n > 10
        ? rng.int(1, 2 ** 31)
        : rng.chance(0.5)
          ? rng.pick(ctx.witnessClientIds)
          : pickClientId(rng, ctx);
    w.uint(clientId)
      .uint(
        rng.weighted([
          [2, rng.int(0, 20)],
          [1, rng.int(1000, 2 ** 31)],
          [1, 2 ** 32],
        ]),
      )
      .string(state);
  }
  return w.done();
}

export type HocuspocusKind =
  | 'auth'
  | 'step1'
  | 'step2'
  | 'update'
  | 'reply'
  | 'awareness'
  | 'query'
  | 'stateless'
  | 'close';
export const HOCUSPOCUS_KINDS: readonly HocuspocusKind[] = [
  'auth',
  'step1',
  'step2',
  'update',
  'reply',
  'awareness',
  'query',
  'stateless',
  'close',
];
/** Updates and awareness carry the hostile content (impersonation, future deletes), so they come most often. */
export function pickHocuspocusKind(rng: Rng): HocuspocusKind {
  return rng.weighted<HocuspocusKind>([
    [1, 'auth'],
    [1, 'step1'],
    [2, 'step2'],
    [4, 'update'],
    [1, 'reply'],
    [4, 'awareness'],
    [1, 'query'],
    [1, 'stateless'],
    [0.5, 'close'],
  ]);
}

/** A valid Hocuspocus frame of the given kind for `doc`. */
export function hocuspocusFrame(
  rng: Rng,
  ctx: FrameContext,
  kind: HocuspocusKind,
  doc: string,
  token: string,
): Frame {
  const w = new FrameWriter().string(doc);
  const update = () => (rng.chance(0.6) ? yjsUpdate(rng, ctx) : realUpdate(rng)).bytes;
  switch (kind) {
    case 'auth':
      return w.uint(MessageType.Auth).uint(0).string(token).done();
    case 'step1':
      return w.uint(MessageType.Sync).uint(SYNC_STEP1).bytes(stateVector(rng, ctx)).done();
    case 'step2':
      return w.uint(MessageType.Sync).uint(SYNC_STEP2).bytes(update()).done();
    case 'update':
      return w.uint(MessageType.Sync).uint(SYNC_UPDATE).bytes(update()).done();
    case 'reply':
      return w
        .uint(MessageType.SyncReply)
        .uint(rng.pick([SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE]))
        .bytes(update())
        .done();
    case 'awareness':
      return w.uint(MessageType.Awareness).bytes(awarenessUpdate(rng, ctx).bytes).done();
    case 'query':
      return w.uint(MessageType.QueryAwareness).done();
    case 'stateless':
      return w
        .uint(MessageType.Stateless)
        .string(
          rng.pick([
            '{}',
            '{"type":"notice"}',
            'x'.repeat(rng.size(70_000)),
            mutateJson(rng, { type: 'chat', text: 'hi' }).text,
            // Run events for the run relay (server/src/run/RunRelay.ts), valid or mangled.
            mutateJson(rng, {
              tandemRun: { type: 'output', runId: 'run-0000001', seq: 0, stream: 'stdout', text: 'hi' },
            }).text,
          ]),
        )
        .done();
    case 'close':
      return w.uint(MessageType.CLOSE).done();
  }
}

export type YWebsocketKind = 'step1' | 'step2' | 'update' | 'awareness' | 'query' | 'auth';
export const Y_WEBSOCKET_KINDS: readonly YWebsocketKind[] = [
  'step1',
  'step2',
  'update',
  'awareness',
  'query',
  'auth',
];

/** A valid y-websocket frame (no document address: the document is in the URL). */
export function yWebsocketFrame(rng: Rng, ctx: FrameContext, kind: YWebsocketKind): Frame {
  const w = new FrameWriter();
  const update = () => (rng.chance(0.6) ? yjsUpdate(rng, ctx) : realUpdate(rng)).bytes;
  switch (kind) {
    case 'step1':
      return w.uint(0).uint(SYNC_STEP1).bytes(stateVector(rng, ctx)).done();
    case 'step2':
      return w.uint(0).uint(SYNC_STEP2).bytes(update()).done();
    case 'update':
      return w.uint(0).uint(SYNC_UPDATE).bytes(update()).done();
    case 'awareness':
      return w.uint(1).bytes(awarenessUpdate(rng, ctx).bytes).done();
    case 'query':
      return w.uint(3).done();
    case 'auth':
      return w.uint(2).uint(0).string('denied').done();
  }
}

function stateVector(rng: Rng, ctx: FrameContext): Uint8Array {
  const w = new FrameWriter();
  const n = rng.weighted([
    [4, 0],
    [4, 1],
    [1, 3],
  ]);
  w.uint(n);
  for (let i = 0; i < n; i++)
    w.uint(pickClientId(rng, ctx)).uint(
      rng.weighted([
        [3, 0],
        [2, rng.int(1, 100)],
        [1, 2 ** 40],
      ]),
    );
  return w.done().bytes;
}
