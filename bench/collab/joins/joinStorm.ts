// `npm run bench:joins`: the join storm and the cold load of issue #19, side by side with stock Hocuspocus and the
// stock y-websocket server. A ~1.4 MB code document (bigDocument.ts); joiners are raw sockets (rawSocket.ts)
// that send precomputed frames and only count what arrives, so 200 of them cost the client process little.
//
// - cold load (Tandem only: the stock servers keep nothing on disk): the document is stored as a snapshot plus
//   a log tail of --tail updates; one joiner's time from its sync step 1 to its complete sync step 2, and the
//   server CPU meanwhile. Then the document is unloaded and loaded again (after the first load compacted it).
// - join storm: with the document loaded (a holder socket keeps it), --joiners sockets are opened, then all send
//   authentication and sync step 1 at once; per joiner the time until its sync step 2 has arrived whole, the
//   server CPU over the storm divided by the joiners, the bytes they received, and the client process's CPU.
// Rounds alternate the servers' order; medians are printed and written to bench/results/joins-*.json.
//   npm run bench:joins -- [--joiners 200] [--rounds 3] [--tail 499] [--servers tandem,hocuspocus,y-websocket]
//     [--cpu-prof]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintToken } from '../../../server/src/auth/tokens.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { openStorage } from '../../../server/src/storage/openStorage.ts';
import { isTandem, type ServerKind } from '../options.ts';
import { pinning, pinProcess } from '../pinning.ts';
import { cpuDelta, readCpu } from '../procStats.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from '../serverProcess.ts';
import { type BigDocument, buildBigDocument } from './bigDocument.ts';
import { type Protocol, protocolOf } from './protocols.ts';
import { RawSocket } from './rawSocket.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DOC = `${BENCH_CLASS_ID}/code/joins`;
const SYNC_TIMEOUT_MS = 180_000;
/** Time for a document whose last client left to be stored and unloaded (store debounce is 2 s). */
const UNLOAD_WAIT_MS = 4000;

export interface JoinsOptions {
  joiners: number;
  rounds: number;
  /** Logged updates after the stored snapshot (the cold load merges them). */
  tail: number;
  servers: ServerKind[];
  /** Write a V8 CPU profile of each server child into bench/results/profiles. */
  cpuProf: boolean;
}
let JOINERS = 200;
let CPU_PROF = false;

interface Joiner {
  socket: RawSocket;
  sentAt: number;
  syncedAt: number;
}

async function token(sub: string): Promise<string> {
  return mintToken(BENCH_AUTH_SECRET, { sub, name: sub, cls: BENCH_CLASS_ID, role: 'student' });
}

/** Opens a raw socket whose `synced` promise settles when its first sync step 2 has arrived whole. */
async function openJoiner(protocol: Protocol, origin: string): Promise<Joiner & { synced: Promise<void> }> {
  let done!: () => void;
  const synced = new Promise<void>((resolve) => {
    done = resolve;
  });
  const joiner = { sentAt: 0, syncedAt: 0, synced } as Joiner & { synced: Promise<void> };
  joiner.socket = await RawSocket.open(protocol.url(origin, DOC), (m) => {
    if (joiner.syncedAt === 0 && protocol.isStep2(m.prefix)) {
      joiner.syncedAt = performance.now();
      done();
    }
  });
  return joiner;
}

async function joinOne(protocol: Protocol, origin: string, sub: string) {
  const j = await openJoiner(protocol, origin);
  const frames = protocol.joinFrames(DOC, await token(sub));
  j.sentAt = performance.now();
  for (const f of frames) j.socket.send(f);
  await withTimeout(j.synced, 'first joiner synced');
  return j;
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${SYNC_TIMEOUT_MS} ms`)),
      SYNC_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seedTandem(dataDir: string, doc: BigDocument): Promise<void> {
  const storage = await openStorage(
    { engine: 'sqlite', dataDir },
    { historyRetentionDays: 30, log: createLogger('warn') },
  );
  await storage.documents.saveSnapshot(DOC, doc.base, 0);
  for (const update of doc.tail) storage.documents.append(DOC, update, null);
  await storage.close();
}

interface ColdLoad {
  ms: number;
  serverCpuMs: number;
}

async function coldLoad(protocol: Protocol, origin: string, pid: number, sub: string) {
  const before = readCpu(pid);
  const j = await joinOne(protocol, origin, sub);
  const cpu = cpuDelta(before, readCpu(pid));
  return { joiner: j, result: { ms: j.syncedAt - j.sentAt, serverCpuMs: cpu.cpuSec * 1000 } };
}

interface Storm {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuMsPerJoiner: number;
  serverCorePct: number;
  clientCorePct: number;
  mbReceived: number;
}

async function storm(protocol: Protocol, origin: string, pid: number): Promise<Storm> {
  const joiners = await Promise.all(Array.from({ length: JOINERS }, () => openJoiner(protocol, origin)));
  const frames = await Promise.all(
    joiners.map((_, i) => token(`joiner${i}`).then((t) => protocol.joinFrames(DOC, t))),
  );
  const clientBefore = process.cpuUsage();
  const before = readCpu(pid);
  const start = performance.now();
  for (let i = 0; i < joiners.length; i++) {
    joiners[i]!.sentAt = performance.now();
    for (const f of frames[i]!) joiners[i]!.socket.send(f);
  }
  await withTimeout(Promise.all(joiners.map((j) => j.synced)), `${JOINERS} joiners synced`);
  const wallMs = performance.now() - start;
  const cpu = cpuDelta(before, readCpu(pid));
  const client = process.cpuUsage(clientBefore);
  const times = joiners.map((j) => j.syncedAt - j.sentAt).sort((a, b) => a - b);
  const bytes = joiners.reduce((n, j) => n + j.socket.bytesReceived, 0);
  for (const j of joiners) j.socket.close();
  return {
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    maxMs: times.at(-1)!,
    serverCpuMsPerJoiner: (cpu.cpuSec * 1000) / JOINERS,
    serverCorePct: cpu.corePct,
    clientCorePct: ((client.user + client.system) / 1000 / wallMs) * 100,
    mbReceived: bytes / 1e6,
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface RoundResult {
  server: ServerKind;
  cold?: ColdLoad;
  coldAgain?: ColdLoad;
  storm: Storm;
}

async function runOne(server: ServerKind, doc: BigDocument, merged: Uint8Array): Promise<RoundResult> {
  const protocol = protocolOf(server);
  const pins = pinning();
  const sut = await startServer(server, {
    root: ROOT,
    nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/profiles')}`] : [],
    patches: [],
    cpus: pins.server,
    // Joins are what is measured: no flood limit may refuse the storm's 400 messages.
    tandemEnv: { RATE_LIMIT_MESSAGES_PER_SEC: '10000', RATE_LIMIT_BURST: '100000' },
    ...(isTandem(server) ? { seed: (dir: string) => seedTandem(dir, doc) } : {}),
  });
  try {
    let cold: ColdLoad | undefined;
    let coldAgain: ColdLoad | undefined;
    let holder: Joiner;
    if (isTandem(server)) {
      const first = await coldLoad(protocol, sut.origin, sut.pid, 'cold1');
      cold = first.result;
      first.joiner.socket.close();
      await sleep(UNLOAD_WAIT_MS);
      const second = await coldLoad(protocol, sut.origin, sut.pid, 'cold2');
      coldAgain = second.result;
      holder = second.joiner;
    } else {
      // No storage: a holder loads the document by sending it, then asks for it back (same socket, in order).
      holder = await openJoiner(protocol, sut.origin);
      const [auth, step1] = protocol.joinFrames(DOC, await token('holder'));
      if (step1) holder.socket.send(auth!);
      holder.socket.send(protocol.updateFrame(DOC, merged));
      holder.socket.send(step1 ?? auth!);
      await withTimeout((holder as Joiner & { synced: Promise<void> }).synced, 'holder synced');
    }
    await sleep(500);
    const result = await storm(protocol, sut.origin, sut.pid);
    holder.socket.close();
    return { server, ...(cold ? { cold, coldAgain } : {}), storm: result };
  } finally {
    await sut.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface JoinsRow {
  server: ServerKind;
  coldLoadMs?: number;
  coldLoadCpuMs?: number;
  coldLoadAgainMs?: number;
  coldLoadAgainCpuMs?: number;
  stormP50Ms: number;
  stormP99Ms: number;
  cpuMsPerJoiner: number;
  serverCorePct: number;
  clientCorePct: number;
  mbReceived: number;
}

/** Runs the join storm and the cold load; prints the table; returns the medians and where the raw JSON went. */
export async function runJoins(
  options: JoinsOptions,
): Promise<{ rows: JoinsRow[]; table: string; file: string }> {
  JOINERS = options.joiners;
  CPU_PROF = options.cpuProf;
  const { rounds: ROUNDS, tail: TAIL, servers: SERVERS } = options;
  const pins = pinning();
  const t = performance.now();
  const doc = buildBigDocument(undefined, TAIL);
  const { mergeUpdates } = await import('yjs');
  const merged = mergeUpdates([doc.base, ...doc.tail]);
  process.stderr.write(
    `document: ${(merged.byteLength / 1e6).toFixed(2)} MB (snapshot ${(doc.base.byteLength / 1e6).toFixed(2)} MB + ${doc.tail.length} logged updates), built in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const startedAt = new Date().toISOString();
  const loadBefore = load();
  const results: RoundResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < SERVERS.length; k++) {
      const server = SERVERS[(k + round) % SERVERS.length]!;
      const r = await runOne(server, doc, merged);
      results.push(r);
      const s = r.storm;
      process.stderr.write(
        `round ${round + 1} ${server}: ` +
          (r.cold
            ? `cold load ${r.cold.ms.toFixed(0)} ms (cpu ${r.cold.serverCpuMs.toFixed(0)}), again ${r.coldAgain!.ms.toFixed(0)} ms; `
            : '') +
          `storm p50 ${s.p50Ms.toFixed(0)} p99 ${s.p99Ms.toFixed(0)} ms, ${s.serverCpuMsPerJoiner.toFixed(2)} ms cpu/joiner, client ${s.clientCorePct.toFixed(0)} %, ${s.mbReceived.toFixed(0)} MB, load ${load()}\n`,
      );
    }
  }
  const rows: JoinsRow[] = SERVERS.map((server) => {
    const rs = results.filter((r) => r.server === server);
    const m = (f: (r: RoundResult) => number | undefined) => {
      const xs = rs.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? median(xs) : undefined;
    };
    return {
      server,
      coldLoadMs: m((r) => r.cold?.ms),
      coldLoadCpuMs: m((r) => r.cold?.serverCpuMs),
      coldLoadAgainMs: m((r) => r.coldAgain?.ms),
      coldLoadAgainCpuMs: m((r) => r.coldAgain?.serverCpuMs),
      stormP50Ms: m((r) => r.storm.p50Ms)!,
      stormP99Ms: m((r) => r.storm.p99Ms)!,
      cpuMsPerJoiner: m((r) => r.storm.serverCpuMsPerJoiner)!,
      serverCorePct: m((r) => r.storm.serverCorePct)!,
      clientCorePct: m((r) => r.storm.clientCorePct)!,
      mbReceived: m((r) => r.storm.mbReceived)!,
    };
  });
  const base = rows.find((r) => r.server === 'hocuspocus');
  const fmt = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const lines = [
    `join-storm / cold-load: ${JOINERS} joiners, ${(merged.byteLength / 1e6).toFixed(2)} MB document, ${ROUNDS} rounds (median), servers pinned to ${pins.server ?? 'nothing'}, clients to ${pins.clients ?? 'nothing'}; load before ${loadBefore}, after ${load()}`,
    'server        cold load ms (cpu)  again ms (cpu)  storm p50/p99 ms  cpu ms/joiner  vs hocuspocus  server %  client %  MB in',
  ];
  for (const r of rows) {
    lines.push(
      `${r.server.padEnd(13)} ${`${fmt(r.coldLoadMs)} (${fmt(r.coldLoadCpuMs)})`.padStart(18)}  ${`${fmt(r.coldLoadAgainMs)} (${fmt(r.coldLoadAgainCpuMs)})`.padStart(14)}  ` +
        `${`${fmt(r.stormP50Ms)}/${fmt(r.stormP99Ms)}`.padStart(16)}  ${fmt(r.cpuMsPerJoiner, 2).padStart(13)}  ` +
        `${(base ? `${(r.cpuMsPerJoiner / base.cpuMsPerJoiner).toFixed(2)}x` : '-').padStart(13)}  ${fmt(r.serverCorePct).padStart(8)}  ${fmt(r.clientCorePct).padStart(8)}${r.clientCorePct > 85 ? ' CLIENT-BOUND' : ''}  ${fmt(r.mbReceived).padStart(5)}`,
    );
  }
  const file = path.join(ROOT, 'bench/results', `joins-${startedAt.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt,
        options,
        documentBytes: merged.byteLength,
        pinning: pins,
        loadBefore,
        loadAfter: load(),
        rows,
        results,
      },
      null,
      2,
    ),
  );
  return { rows, table: lines.join('\n'), file };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const pins = pinning();
  if (pins.warning) process.stderr.write(`warning: ${pins.warning}\n`);
  pinProcess(process.pid, pins.clients);
  const { table, file } = await runJoins({
    joiners: Number(arg('joiners', '200')),
    rounds: Number(arg('rounds', '3')),
    tail: Number(arg('tail', '499')),
    servers: arg('servers', 'tandem,hocuspocus,y-websocket').split(',') as ServerKind[],
    cpuProf: process.argv.includes('--cpu-prof'),
  });
  console.log(`${table}\nraw results: ${path.relative(ROOT, file)}`);
  process.exit(0);
}
