// `npm run bench:joins`: the join storm of issue #19, Tandem side by side with stock Hocuspocus in one run. A ~1.4 MB
// code document (bigDocument.ts) is loaded (Tandem: from a stored snapshot; Hocuspocus, which stores nothing: sent
// by a holder socket), then --joiners raw sockets (rawSocket.ts: precomputed frames out, incoming messages only
// counted, so 200 of them cost the client process little) send authentication and an empty sync step 1 at once.
// Per server: the time from a joiner's send until its sync step 2 has arrived whole (p50/p99/max), the server's
// CPU over the storm per joiner (from /proc), the bytes received, and the client process's CPU (a row whose
// client used most of a core is marked: it may be measuring the client). Rounds alternate the servers' order;
// medians are printed with Tandem / Hocuspocus ratios and written to bench/results/joins-*.json. On Tandem the
// first (holder) socket's sync is also timed: the cold load of the stored document (issue #19's target < 150 ms).
//   npm run bench:joins -- [--joiners 200] [--rounds 3] [--servers tandem,hocuspocus]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintToken } from '../../../server/src/auth/tokens.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { openStorage } from '../../../server/src/storage/openStorage.ts';
import { isTandem, type ServerKind } from '../options.ts';
import { cpuDelta, readCpu } from '../procStats.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from '../serverProcess.ts';
import { buildBigDocument } from './bigDocument.ts';
import { protocolOf } from './protocols.ts';
import { RawSocket } from './rawSocket.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DOC = `${BENCH_CLASS_ID}/code/main`;
const SYNC_TIMEOUT_MS = 180_000;
/** Quiet time between loading the document and the storm (the load's own work and GC settle). */
const SETTLE_MS = 1000;
/** Servers that speak the Hocuspocus protocol with authentication (one socket, many documents). */
const SERVERS: ServerKind[] = ['tandem', 'hocuspocus'];
const hp = protocolOf('hocuspocus');

interface Joiner {
  socket: RawSocket;
  sentAt: number;
  syncedAt: number;
  synced: Promise<void>;
  /** When the server's own sync step 1 arrived: a server sends it once the document is built. */
  stepOneAt: number;
  stepOne: Promise<void>;
}

const token = (sub: string) =>
  mintToken(BENCH_AUTH_SECRET, { sub, name: sub, cls: BENCH_CLASS_ID, role: 'student' });

/**
 * Opens a raw socket whose `synced` settles when its first sync step 2 has arrived whole, and `stepOne` when the
 * server's sync step 1 has.
 */
async function openJoiner(url: string): Promise<Joiner> {
  let done!: () => void;
  let steppedOne!: () => void;
  const joiner = { sentAt: 0, syncedAt: 0, stepOneAt: 0 } as Joiner;
  joiner.synced = new Promise<void>((resolve) => {
    done = resolve;
  });
  joiner.stepOne = new Promise<void>((resolve) => {
    steppedOne = resolve;
  });
  joiner.socket = await RawSocket.open(url, (m) => {
    if (joiner.syncedAt === 0 && hp.isStep2(m.prefix)) {
      joiner.syncedAt = performance.now();
      done();
    }
    if (joiner.stepOneAt === 0 && hp.isStep1(m.prefix)) {
      joiner.stepOneAt = performance.now();
      steppedOne();
    }
  });
  return joiner;
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
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

async function seedTandem(dataDir: string, state: Uint8Array): Promise<void> {
  const storage = await openStorage(
    { engine: 'sqlite', dataDir },
    { historyRetentionDays: 30, log: createLogger('warn') },
  );
  await storage.documents.saveSnapshot(DOC, state, 0);
  await storage.close();
}

interface Storm {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuMsPerJoiner: number;
  clientCorePct: number;
  mbReceived: number;
  /** Tandem only: from the first client's Auth to its sync step 2, the document loaded from disk. */
  coldLoadMs?: number;
  /** Tandem only: from that Auth until the server has built the document (its own sync step 1 arrived). */
  coldBuiltMs?: number;
  /** Tandem only: server CPU over the whole load, until the document is built. */
  coldLoadCpuMs?: number;
}

async function storm(url: string, pid: number, joinerCount: number): Promise<Storm> {
  const joiners = await Promise.all(Array.from({ length: joinerCount }, () => openJoiner(url)));
  const frames = await Promise.all(
    joiners.map((_, i) => token(`joiner${i}`).then((t) => hp.joinFrames(DOC, t))),
  );
  const clientBefore = process.cpuUsage();
  const before = readCpu(pid);
  const start = performance.now();
  for (let i = 0; i < joiners.length; i++) {
    joiners[i]!.sentAt = performance.now();
    for (const f of frames[i]!) joiners[i]!.socket.send(f);
  }
  await withTimeout(Promise.all(joiners.map((j) => j.synced)), `${joinerCount} joiners synced`);
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
    serverCpuMsPerJoiner: (cpu.cpuSec * 1000) / joinerCount,
    clientCorePct: ((client.user + client.system) / 1000 / wallMs) * 100,
    mbReceived: bytes / 1e6,
  };
}

async function runOne(server: ServerKind, state: Uint8Array, joinerCount: number): Promise<Storm> {
  const sut = await startServer(server, {
    root: ROOT,
    nodeArgs: [],
    patches: [],
    tandemEnv: {},
    ...(isTandem(server) ? { seed: (dir: string) => seedTandem(dir, state) } : {}),
  });
  try {
    const url = protocolOf(server).url(sut.origin, DOC);
    // A holder keeps the document loaded; on Hocuspocus it also brings the document (same socket, in order).
    const holder = await openJoiner(url);
    const [auth, step1] = hp.joinFrames(DOC, await token('holder'));
    const cpuBefore = readCpu(sut.pid);
    holder.sentAt = performance.now();
    holder.socket.send(auth!);
    if (!isTandem(server)) holder.socket.send(hp.updateFrame(DOC, state));
    holder.socket.send(step1!);
    await withTimeout(holder.synced, 'holder synced');
    // The storm starts once the server has built the document (Tandem sends the first client the stored state
    // while it builds), so the load's CPU is not counted in the storm's.
    await withTimeout(holder.stepOne, "the server's sync step 1");
    // On Tandem the holder's sync is a cold load: the document read from disk and sent to its first client, and
    // built on the server. Stock Hocuspocus has no storage here (the holder uploads the document), so it has no
    // cold load.
    const cold = isTandem(server)
      ? {
          coldLoadMs: holder.syncedAt - holder.sentAt,
          coldBuiltMs: holder.stepOneAt - holder.sentAt,
          coldLoadCpuMs: cpuDelta(cpuBefore, readCpu(sut.pid)).cpuSec * 1000,
        }
      : {};
    await sleep(SETTLE_MS);
    const result = await storm(url, sut.pid, joinerCount);
    holder.socket.close();
    return { ...result, ...cold };
  } finally {
    await sut.stop();
  }
}

export interface JoinsOptions {
  joiners: number;
  rounds: number;
  servers: ServerKind[];
}

/** Runs the storms; returns the table (medians per server, ratios to Hocuspocus) and where the raw JSON went. */
export async function runJoins({
  joiners,
  rounds,
  servers,
}: JoinsOptions): Promise<{ table: string; file: string }> {
  const t = performance.now();
  const state = buildBigDocument();
  const mb = (state.byteLength / 1e6).toFixed(2);
  process.stderr.write(`document: ${mb} MB, built in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const startedAt = new Date().toISOString();
  const loadBefore = load();
  const results: { server: ServerKind; round: number; storm: Storm }[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < servers.length; k++) {
      const server = servers[(k + round) % servers.length]!;
      const s = await runOne(server, state, joiners);
      results.push({ server, round, storm: s });
      process.stderr.write(
        `round ${round + 1} ${server}: p50 ${s.p50Ms.toFixed(0)} p99 ${s.p99Ms.toFixed(0)} ms, ` +
          `${s.serverCpuMsPerJoiner.toFixed(2)} ms cpu/joiner, client ${s.clientCorePct.toFixed(0)} %, ` +
          `${s.mbReceived.toFixed(0)} MB, load ${load()}\n`,
      );
    }
  }
  const rows = servers.map((server) => {
    const of = (f: (s: Storm) => number) =>
      median(results.filter((r) => r.server === server).map((r) => f(r.storm)));
    const cold = results.filter((r) => r.server === server && r.storm.coldLoadMs !== undefined);
    return {
      server,
      coldLoadMs: cold.length ? median(cold.map((r) => r.storm.coldLoadMs!)) : undefined,
      coldBuiltMs: cold.length ? median(cold.map((r) => r.storm.coldBuiltMs!)) : undefined,
      coldLoadCpuMs: cold.length ? median(cold.map((r) => r.storm.coldLoadCpuMs!)) : undefined,
      p50Ms: of((s) => s.p50Ms),
      p99Ms: of((s) => s.p99Ms),
      maxMs: of((s) => s.maxMs),
      cpuMsPerJoiner: of((s) => s.serverCpuMsPerJoiner),
      clientCorePct: of((s) => s.clientCorePct),
      mbReceived: of((s) => s.mbReceived),
    };
  });
  const base = rows.find((r) => r.server === 'hocuspocus');
  const ratio = (x: number, b: number | undefined) => (b ? `${(x / b).toFixed(2)}x` : '-');
  const lines = [
    `join storm: ${joiners} joiners, ${mb} MB document, ${rounds} rounds (median); load before ${loadBefore}, after ${load()}`,
    'server        cold load ms (built, cpu)  p50 ms  p99 ms  max ms  p99 vs hp  cpu ms/joiner  cpu vs hp  client %      MB in',
  ];
  const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(0));
  for (const r of rows) {
    lines.push(
      `${r.server.padEnd(13)} ${`${fmt(r.coldLoadMs)} (${fmt(r.coldBuiltMs)}, ${fmt(r.coldLoadCpuMs)})`.padStart(25)}  ${r.p50Ms.toFixed(0).padStart(6)}  ${r.p99Ms.toFixed(0).padStart(6)}  ` +
        `${r.maxMs.toFixed(0).padStart(6)}  ${ratio(r.p99Ms, base?.p99Ms).padStart(9)}  ` +
        `${r.cpuMsPerJoiner.toFixed(2).padStart(13)}  ${ratio(r.cpuMsPerJoiner, base?.cpuMsPerJoiner).padStart(9)}  ` +
        `${r.clientCorePct.toFixed(0).padStart(8)}${r.clientCorePct > 85 ? ' CLIENT-BOUND' : ''}  ${r.mbReceived.toFixed(0).padStart(5)}`,
    );
  }
  const file = path.join(ROOT, 'bench/results', `joins-${startedAt.replace(/[:.]/g, '-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = {
    startedAt,
    joiners,
    rounds,
    documentBytes: state.byteLength,
    loadBefore,
    loadAfter: load(),
    rows,
    results,
  };
  fs.writeFileSync(file, JSON.stringify(raw, null, 2));
  return { table: lines.join('\n'), file };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  const servers = arg('servers', 'tandem,hocuspocus').split(',') as ServerKind[];
  for (const s of servers)
    if (!SERVERS.includes(s)) throw new Error(`--servers: ${s} is not one of ${SERVERS.join(', ')}`);
  const { table, file } = await runJoins({
    joiners: Number(arg('joiners', '200')),
    rounds: Number(arg('rounds', '3')),
    servers,
  });
  console.log(`${table}\nraw results: ${path.relative(ROOT, file)}`);
  process.exit(0);
}
