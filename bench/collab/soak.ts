// `npm run bench:soak`: does the server give memory back? Starts the real server in a child process (with the
// inspector on loopback), runs connect/auth/sync/edit/disconnect cycles with real HocuspocusProvider clients, and
// at every sample point waits until the server holds no connection and no document, forces a full GC and records
// RSS, the live JS heap and external memory. The `open-many` variant has one socket open thousands of documents,
// then close, a few rounds over. `--snapshots` writes heap snapshots at the baseline and at the end.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { freePort, InspectorSession } from './inspector.ts';
import { machineInfo } from './procStats.ts';
import { type MemorySample, sampleMemory, waitUntilIdle } from './serverMemory.ts';
import { BENCH_AUTH_SECRET, startServer } from './serverProcess.ts';
import { type OpenDocuments, openOnOneSocket, runCycle } from './soakClients.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLASS_ID = 'soak';
const USERS = 64;

const HELP = `npm run bench:soak -- [options]
  --cycles N          connect/disconnect cycles (default 2000)
  --concurrency N     cycles in flight at once (default 8)
  --docs N            document names the cycles rotate through (default 20)
  --edits N           characters typed per cycle (default 2)
  --keep-open         an instructor's socket keeps every document of the cycles open throughout (as in a
                      class), so what a closed connection leaves in a live document is seen too
  --samples N         memory samples after the baseline (default 10)
  --warmup N          cycles before the baseline sample (default 500)
  --socket-docs N     open-many variant: documents one socket opens (default 6000; 0 skips the variant)
  --rounds N          open-many variant: rounds (default 3)
  --snapshots         write heap snapshots (baseline, after the cycles, after open-many) to bench/results/heap/;
                      compare two with bench/collab/heapDiff.ts. A snapshot itself leaves the server's RSS
                      higher (V8's snapshot buffers): read RSS from a run without it
  --env KEY=VALUE     extra server setting (repeatable)`;

interface SoakOptions {
  cycles: number;
  concurrency: number;
  docs: number;
  edits: number;
  keepOpen: boolean;
  samples: number;
  warmup: number;
  socketDocs: number;
  rounds: number;
  snapshots: boolean;
  env: Record<string, string>;
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      cycles: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      docs: { type: 'string', default: '20' },
      edits: { type: 'string', default: '2' },
      'keep-open': { type: 'boolean', default: false },
      samples: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '500' },
      'socket-docs': { type: 'string', default: '6000' },
      rounds: { type: 'string', default: '3' },
      snapshots: { type: 'boolean', default: false },
      env: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const env: Record<string, string> = {};
  for (const kv of values.env) {
    const at = kv.indexOf('=');
    if (at <= 0) throw new Error(`--env wants KEY=VALUE, got ${kv}`);
    env[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return {
    cycles: int('cycles', values.cycles, 1),
    concurrency: int('concurrency', values.concurrency, 1),
    docs: int('docs', values.docs, 1),
    edits: int('edits', values.edits, 0),
    keepOpen: values['keep-open'],
    samples: int('samples', values.samples, 1),
    warmup: int('warmup', values.warmup, 0),
    socketDocs: int('socket-docs', values['socket-docs'], 0),
    rounds: int('rounds', values.rounds, 1),
    snapshots: values.snapshots,
    env,
  };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function printSample(label: string, s: MemorySample): void {
  process.stdout.write(
    `${label.padEnd(22)} rss ${mb(s.rssBytes).padStart(7)} MB (peak ${mb(s.peakRssBytes).padStart(6)})  live heap ${mb(s.liveHeapBytes).padStart(6)} MB` +
      `  heap total ${mb(s.heapTotalBytes).padStart(6)} MB  external ${mb(s.externalBytes).padStart(6)} MB\n`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const inspectPort = await freePort();
  const server = await startServer('tandem', {
    root: ROOT,
    nodeArgs: [`--inspect=127.0.0.1:${inspectPort}`],
    tandemEnv: options.env,
    patches: [],
  });
  const inspector = await InspectorSession.connect(inspectPort);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const url = `${server.origin.replace(/^http/, 'ws')}/collab`;
  const tokens = await Promise.all(
    Array.from({ length: USERS }, (_, i) =>
      mintToken(BENCH_AUTH_SECRET, { sub: `u${i}`, name: `User ${i}`, cls: CLASS_ID, role: 'student' }),
    ),
  );
  const instructorToken = await mintToken(BENCH_AUTH_SECRET, {
    sub: 'teacher',
    name: 'Teacher',
    cls: CLASS_ID,
    role: 'instructor',
  });
  const docNames = Array.from({ length: options.docs }, (_, i) => `${CLASS_ID}/code/d${i}`);
  let kept: OpenDocuments | undefined;
  const keptCounts = () => ({ connections: kept ? 1 : 0, documents: kept ? options.docs : 0 });
  const snapshot = async (name: string) => {
    if (!options.snapshots) return;
    const dir = path.join(resultsDir, 'heap');
    fs.mkdirSync(dir, { recursive: true });
    // Snapshots are large (tens of MB): never committed.
    fs.writeFileSync(path.join(dir, '.gitignore'), '*\n');
    const file = path.join(dir, `soak-${stamp}-${name}.heapsnapshot`);
    await inspector.writeHeapSnapshot(file);
    process.stdout.write(`heap snapshot: ${path.relative(ROOT, file)}\n`);
  };
  const sample = async (at: number) => {
    await waitUntilIdle(server.origin, keptCounts());
    return sampleMemory(at, server.pid, server.origin, inspector);
  };

  const result: {
    startedAt: string;
    options: SoakOptions;
    machine: ReturnType<typeof machineInfo>;
    server: { command: string; env: Record<string, string> };
    start?: MemorySample;
    cycles: MemorySample[];
    openMany: MemorySample[];
    cyclesPerSec?: number;
  } = {
    startedAt: new Date().toISOString(),
    options,
    machine: machineInfo(),
    server: { command: server.command, env: server.env },
    cycles: [],
    openMany: [],
  };

  try {
    if (options.keepOpen) kept = await openOnOneSocket(url, docNames, instructorToken);
    result.start = await sample(0);
    printSample(kept ? `start (${options.docs} kept open)` : 'start', result.start);

    // Cycles: `concurrency` workers take cycle numbers from one counter, up to the next sample point.
    let next = 0;
    let userTurn = 0;
    const runUpTo = async (end: number) => {
      const worker = async () => {
        for (let i = next++; i < end; i = next++) {
          const user = userTurn++ % USERS;
          await runCycle({
            url,
            documentName: docNames[i % options.docs]!,
            token: tokens[user]!,
            user: { name: `User ${user}`, color: '#3366ff' },
            edits: options.edits,
          });
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      next = end;
    };
    const measuredStart = Date.now();
    await runUpTo(options.warmup);
    const baseline = await sample(options.warmup);
    result.cycles.push(baseline);
    printSample(`after ${options.warmup} cycles`, baseline);
    await snapshot('baseline');
    const step = Math.max(1, Math.ceil(options.cycles / options.samples));
    for (let at = options.warmup + step; ; at += step) {
      const end = Math.min(at, options.warmup + options.cycles);
      await runUpTo(end);
      const s = await sample(end);
      result.cycles.push(s);
      printSample(`after ${end} cycles`, s);
      if (end === options.warmup + options.cycles) break;
    }
    result.cyclesPerSec = (options.warmup + options.cycles) / ((Date.now() - measuredStart) / 1000);
    await snapshot('after-cycles');

    if (options.socketDocs > 0) {
      const names = Array.from({ length: options.socketDocs }, (_, i) => `${CLASS_ID}/code/m${i}`);
      for (let round = 1; round <= options.rounds; round++) {
        (await openOnOneSocket(url, names, tokens[0]!)).close();
        const s = await sample(round);
        result.openMany.push(s);
        printSample(`open-many round ${round}`, s);
      }
      await snapshot('after-open-many');
    }
  } finally {
    kept?.close();
    inspector.close();
    await server.stop();
  }

  const first = result.cycles[0]!;
  const last = result.cycles.at(-1)!;
  const per10k = (d: number) => (d / Math.max(1, last.at - first.at)) * 10_000;
  process.stdout.write(
    `\n${last.at - first.at} cycles after the baseline (${result.cyclesPerSec?.toFixed(0)} cycles/s): ` +
      `live heap ${mb(last.liveHeapBytes - first.liveHeapBytes)} MB (${mb(per10k(last.liveHeapBytes - first.liveHeapBytes))} MB per 10k), ` +
      `external ${mb(last.externalBytes - first.externalBytes)} MB, rss ${mb(last.rssBytes - first.rssBytes)} MB\n`,
  );
  const file = path.join(resultsDir, `soak-${stamp}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`raw: ${path.relative(ROOT, file)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
