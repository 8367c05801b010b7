// JavaScript CPU of presence (awareness) traffic inside the server, without sockets or the kernel: one document
// with 200 real Hocuspocus connections on sockets that only count, each sending a Tandem-sized cursor state a
// few times a second (default 2/s: 400 inbound updates/s, paced in real time, a rate Hocuspocus's path keeps up
// with). Compares Hocuspocus's own awareness handling (a scratch Y.Doc + Awareness per message, the identity hook
// Tandem used to run, its onAwarenessUpdate payload listing every state, a broadcast per event-loop turn) with
// Tandem's presence path (server/src/collab/presence) at a 0 ms and the default 50 ms merge interval.
//   npx node --import tsx bench/collab/presencePathCost.ts [seconds per variant, default 5] [updates/s per connection,
//   default 2] [rounds, default 3] [variant name filter]
import { type beforeHandleAwarenessPayload, Connection, Hocuspocus } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { withIdentity } from '../../server/src/collab/presence/awarenessUpdate.ts';
import { Presence, PresenceRoutes } from '../../server/src/collab/presence/Presence.ts';
import { SocketRoutes } from '../../server/src/collab/socketRoutes.ts';
import { median } from './rounds.ts';

const SECONDS = Number(process.argv[2] ?? 5);
const UPDATES_PER_PEER_PER_SEC = Number(process.argv[3] ?? 2);
const ROUNDS = Number(process.argv[4] ?? 3);
const PEERS = 200;
const NAME = 'bench/code/doc0';

type Variant =
  | 'harness only'
  | 'hocuspocus pipeline'
  | 'presence path, merge 0 ms'
  | 'presence path, merge 50 ms';
const ALL_VARIANTS: Variant[] = [
  'harness only',
  'hocuspocus pipeline',
  'presence path, merge 0 ms',
  'presence path, merge 50 ms',
];
/** An optional fifth argument keeps only the variants whose name contains it (to profile one). */
const VARIANTS = ALL_VARIANTS.filter((v) => v.includes(process.argv[5] ?? ''));

/** What a Tandem client's awareness state looks like while it moves its cursor (about 400 bytes of JSON). */
function cursorState(peer: number, seq: number) {
  const rel = (clock: number) => ({
    type: { client: 1, clock: 0 },
    tname: null,
    item: { client: 2, clock },
    assoc: 0,
  });
  return {
    user: { id: `user${peer}`, name: `Student ${peer}`, role: 'student', color: '#3a7' },
    file: 'main.ts',
    scroll: { top: seq * 3, line: seq % 200 },
    followMe: false,
    following: null,
    idle: false,
    media: { mic: false, cam: false, screen: false },
    pointer: null,
    view: 'editor',
    selection: { anchor: rel(seq), head: rel(seq + 1) },
  };
}

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  const e = encoding.createEncoder();
  encoding.writeVarString(e, NAME);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}

/** The identity hook Tandem ran on Hocuspocus's path before the presence path (extensions/identity.ts). */
const identityHook = {
  priority: 900,
  async beforeHandleAwareness({ context, states }: beforeHandleAwarenessPayload) {
    const user = context?.user;
    if (!user) return;
    for (const [clientId, state] of states) states.set(clientId, withIdentity(state, user));
  },
};

interface Result {
  usPerUpdate: number;
  cpuPercent: number;
  /** Frames sent per second of the run. */
  framesOutPerSec: number;
  /** How long the run took for SECONDS of input (above 1 when the server fell behind). */
  wallRatio: number;
}

async function measure(variant: Variant): Promise<Result> {
  const mergeMs = variant === 'presence path, merge 50 ms' ? 50 : 0;
  const counts = {
    applied: 0,
    framesSent: 0,
    dropped: { foreign: 0, owned_limit: 0, oversize: 0, throttled: 0 },
  };
  const presence = new Presence(
    { mergeMs, maxStateBytes: 4096, updatesPerSec: 20, maxOwnedClientIds: 4 },
    counts,
  );
  const instance = new Hocuspocus({
    quiet: true,
    extensions: [variant === 'hocuspocus pipeline' ? identityHook : presence.extension()],
  });
  const request = { url: '/collab', headers: new Headers() } as unknown as Request;
  const document = await instance.createDocument(NAME, request, 'bench', {
    readOnly: false,
    isAuthenticated: true,
  });
  let framesOut = 0;
  const socket = { readyState: 1, send: () => void framesOut++, close() {} };
  const peers = Array.from({ length: PEERS }, (_, i) => {
    const context = { user: { id: `user${i}`, name: `Student ${i}`, role: 'student' } };
    const connection = new Connection(socket, request, document, `socket-${i}`, context, false);
    document.addConnection(connection);
    const socketRoutes = new SocketRoutes(false);
    const routes = new PresenceRoutes(socketRoutes);
    if (variant !== 'hocuspocus pipeline') {
      socketRoutes.add(connection as Connection<never>);
      presence.track(connection as Connection<never>, routes);
    }
    return { connection, socketRoutes, routes, clientId: 100_000 + i, clock: 0 };
  });
  const rate = PEERS * UPDATES_PER_PEER_PER_SEC;
  const total = rate * SECONDS;
  // Built before measuring: the harness's JSON work is not the server's.
  const frames = Array.from({ length: total }, (_, i) => {
    const peer = peers[i % PEERS]!;
    peer.clock++;
    return awarenessFrame(peer.clientId, peer.clock, cursorState(i % PEERS, peer.clock));
  });
  const send = (peer: (typeof peers)[number], frame: Uint8Array) => {
    // The same pacing, timers and process with nothing handled: subtracted from the others.
    if (variant === 'harness only') return;
    if (variant === 'hocuspocus pipeline') return peer.connection.handleMessage(frame);
    const matched = peer.routes.match(frame, peer.socketRoutes.match(frame));
    if (!matched || matched === 'held' || matched instanceof Error) throw new Error('frame not routed');
    const refusal = presence.handleUpdate(matched.connection, matched.update);
    if (refusal) throw refusal;
  };

  let sent = 0;
  const startCpu = process.cpuUsage();
  const startMs = performance.now();
  await new Promise<void>((resolve) => {
    // Every 5 ms, the updates due by now: what a poll phase full of socket reads hands the server.
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - startMs) / 1000) * rate));
      for (; sent < due; sent++) send(peers[sent % PEERS]!, frames[sent]!);
      if (sent === total) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const used = process.cpuUsage(startCpu);
  const wallMs = performance.now() - startMs;
  const last = peers.at(-1)!;
  const seen = document.awareness.getStates().get(last.clientId) as { scroll?: { top: number } } | undefined;
  if (variant !== 'harness only' && seen?.scroll?.top !== last.clock * 3)
    throw new Error(`${variant}: the last state did not arrive`);
  for (const peer of peers) peer.connection.close();
  document.destroy();
  const cpuUs = used.user + used.system;
  return {
    usPerUpdate: cpuUs / total,
    cpuPercent: cpuUs / 10 / wallMs,
    framesOutPerSec: (framesOut * 1000) / wallMs,
    wallRatio: wallMs / 1000 / SECONDS,
  };
}

const results = new Map<Variant, Result[]>(VARIANTS.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) results.get(variant)!.push(await measure(variant));
}
console.log(
  `${PEERS} connections in one document, ${UPDATES_PER_PEER_PER_SEC} cursor updates/s each, ${SECONDS} s per variant, ${ROUNDS} rounds (median)`,
);
const medianOf = (variant: Variant, field: keyof Result) =>
  results.has(variant) ? median(results.get(variant)!.map((r) => r[field])) : 0;
// CPU the harness alone uses (pacing timers, the process's background threads), taken off every variant.
const harness = medianOf('harness only', 'usPerUpdate');
const harnessCpu = medianOf('harness only', 'cpuPercent');
const base = medianOf('hocuspocus pipeline', 'usPerUpdate') - harness;
for (const variant of VARIANTS) {
  if (variant === 'harness only') {
    console.log(`${variant.padEnd(28)} ${harnessCpu.toFixed(1).padStart(5)} % of a core (subtracted below)`);
    continue;
  }
  const us = medianOf(variant, 'usPerUpdate') - harness;
  const cpu = medianOf(variant, 'cpuPercent') - harnessCpu;
  console.log(
    `${variant.padEnd(28)} ${us.toFixed(1).padStart(6)} µs/update  ${base > 0 ? (us / base).toFixed(2) : '-'}x  ` +
      `${cpu.toFixed(1).padStart(5)} % of a core  ` +
      `${Math.round(medianOf(variant, 'framesOutPerSec')).toLocaleString('en').padStart(7)} frames out/s  ` +
      `wall ${medianOf(variant, 'wallRatio').toFixed(2)}x input`,
  );
}
process.exit(0);
