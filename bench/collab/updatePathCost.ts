// JavaScript CPU per client update inside Hocuspocus, without sockets or the kernel: one document with ten real
// Hocuspocus connections on sockets that only count, and one author's single-character updates arriving one per
// event-loop turn (as keystrokes do). Compares Hocuspocus's own message pipeline with Tandem's direct path
// (server/src/collab/directUpdates.ts) and with the update-callback throttle (updateCallbacks.ts) on top.
//   node --import tsx bench/collab/updatePathCost.ts [updates per variant, default 20000] [rounds, default 3]
import { Connection, Hocuspocus } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { applyDirect, matchDirect } from '../../server/src/collab/directUpdates.ts';
import { SocketRoutes } from '../../server/src/collab/socketRoutes.ts';
import { UpdateBudgets } from '../../server/src/collab/UpdateBudgets.ts';
import { UpdateGate } from '../../server/src/collab/UpdateGate.ts';
import { UpdateCallbackThrottle } from '../../server/src/collab/updateCallbacks.ts';
import { createLogger } from '../../server/src/logger.ts';
import { median } from './rounds.ts';

const UNLIMITED = { operationsPerSec: 1e9, operationsBurst: 1e9, bytesPerSec: 1e12, bytesBurst: 1e12 };

const UPDATES = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const PEERS = 10;
const NAME = 'bench/code/doc0';

type Variant = 'hocuspocus pipeline' | 'direct' | 'direct + callback throttle';
const VARIANTS: Variant[] = ['hocuspocus pipeline', 'direct', 'direct + callback throttle'];

/** Sync update frames as a provider sends them: one character each, appended. */
function typedFrames(): Uint8Array[] {
  const author = new Y.Doc();
  const text = author.getText('monaco');
  const frames: Uint8Array[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const before = Y.encodeStateVector(author);
    text.insert(text.length, 'x');
    const e = encoding.createEncoder();
    encoding.writeVarString(e, NAME);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(author, before));
    frames.push(encoding.toUint8Array(e));
  }
  return frames;
}

async function measure(variant: Variant, frames: Uint8Array[]): Promise<{ us: number; sent: number }> {
  const instance = new Hocuspocus({
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    extensions: variant === 'direct + callback throttle' ? [new UpdateCallbackThrottle(250)] : [],
  });
  const request = { url: '/collab', headers: new Headers() } as unknown as Request;
  const document = await instance.createDocument(NAME, request, 'bench', {
    readOnly: false,
    isAuthenticated: true,
  });
  let sent = 0;
  const socket = { readyState: 1, send: () => void sent++, close() {} };
  const connections = Array.from(
    { length: PEERS },
    (_, i) => new Connection(socket, request, document, `socket-${i}`, {}, false),
  );
  const routes = new SocketRoutes(true);
  // The direct path checks every update (client ids, clocks, delete set, size) as the server does; the
  // bindings are dropped here (in the server the author's one binding rides in its update's journal record).
  const gate = await UpdateGate.open(document, {
    clientIds: { loadedClientIds: () => new Map(), bind() {} },
    store: { async *loggedUpdates() {}, storedBytes: () => 0 },
    maxDocumentBytes: 32 * 1024 * 1024,
    maxUpdateOperations: Number.POSITIVE_INFINITY,
    budgets: new UpdateBudgets(UNLIMITED),
    log: createLogger('silent'),
  });
  const route = routes.add(connections[0]! as Connection<never>);
  route.gate = gate;
  route.userId = 'author';

  const start = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let i = 0;
    const next = () => {
      const frame = frames[i++]!;
      if (variant === 'hocuspocus pipeline') connections[0]!.handleMessage(frame);
      else applyDirect(matchDirect(frame, routes.match(frame))!);
      setImmediate(i < frames.length ? next : resolve);
    };
    next();
  });
  const used = process.cpuUsage(start);
  await new Promise((resolve) => setImmediate(resolve));
  if (document.getText('monaco').length !== frames.length) throw new Error(`${variant}: updates were lost`);
  instance.flushPendingStores();
  document.destroy();
  return { us: (used.user + used.system) / frames.length, sent };
}

const frames = typedFrames();
const results = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) results.get(variant)!.push((await measure(variant, frames)).us);
}
console.log(
  `${UPDATES} updates, ${PEERS} connections, one update per event-loop turn, ${ROUNDS} rounds (median)`,
);
const base = median(results.get('hocuspocus pipeline')!);
for (const [variant, xs] of results) {
  const us = median(xs);
  console.log(`${variant.padEnd(28)} ${us.toFixed(2).padStart(6)} µs/update  ${(us / base).toFixed(2)}x`);
}
process.exit(0);
