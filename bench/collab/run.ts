// `npm run bench`: Tandem's collaboration server against stock Hocuspocus and stock y-websocket, same
// clients, same typing load, one document and many documents. Prints a table with ratios, writes raw JSON to
// bench/results/ and the results block of docs/benchmarks.md. Options: see options.ts (`--help`).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idleMemoryTable, runIdleMemory } from './idleMemory.ts';
import { runJoins } from './joins/joinStorm.ts';
import { type BenchOptions, OptionsError, parseOptions } from './options.ts';
import { pinning, pinProcess } from './pinning.ts';
import { presenceClassTable, runPresenceClass } from './presenceClass.ts';
import { machineInfo } from './procStats.ts';
import {
  type BenchRun,
  consoleReport,
  markdownBlock,
  summarizeRounds,
  updateDocs,
  warnings,
  writeJson,
} from './report.ts';
import { RAMP_STEPS, runSaturationRamp, saturationRampTable } from './saturationRamp.ts';
import { runScenario, type ScenarioResult } from './scenario.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SECTION_INTRO = `How fast Tandem's collaboration core (Hocuspocus with JWT auth per document, permission table,
awareness identity, frame guard and rate limits, and the SQLite update log written synchronously before each update is
acknowledged) relays typing, next to a stock Hocuspocus server (no extensions, no storage) and the stock y-websocket
server (\`@y/websocket-server\`, no persistence). \`npm run bench\` regenerates the block between the markers below;
see \`bench/README.md\` for options.

How it measures: each server runs alone in a child process, built to plain JavaScript first (\`scripts/build-server.mjs\`,
as \`npm start\` runs Tandem; runs before 2026-12-03 20:00 UTC used \`node --import tsx\`); all clients run in one other
child process with real client libraries (\`HocuspocusProvider\` on its own \`HocuspocusProviderWebsocket\` per
client for Tandem and Hocuspocus, \`WebsocketProvider\` for y-websocket), each with its own WebSocket and, for
Tandem, its own student token. The first client seeds the document with a \`main.py\` file (Tandem's code-document
layout); then every client types one character at a time at its own cursor. A keystroke is one Yjs update; its
sender's clock names it, and each receiving client's transaction tells which clocks it integrated, so latency is
exact per (keystroke, peer) on one process clock.

- *edits/s sent / applied*: keystrokes per second in the measured window / those that reached every peer.
- *deliveries/s*: (keystroke, peer) arrivals per second, the fan-out the server performs.
- *p50 / p99 ms*: per (keystroke, peer) arrival; *all-peers p99*: per keystroke, its arrival at the last peer.
- *server CPU*: user+system time of the server process over the window (from \`/proc/<pid>/stat\`), as % of one
  core and per delivery; *peak RSS*: the server's VmHWM.
- *client CPU*: the client process; near 100 % means the latencies include client-side queueing.`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv, process.env);
  } catch (error) {
    if (error instanceof OptionsError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const envPart = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BENCH_'))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  const run: BenchRun = {
    startedAt: new Date().toISOString(),
    command: `${envPart}npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    commit: gitCommit(),
    machine: machineInfo(),
    options,
    rounds: [],
    summary: [],
  };
  const m = run.machine;
  process.stderr.write(`machine: ${m.nproc} CPUs, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}\n`);
  const pins = pinning();
  // The class scenarios' raw-socket clients run in this process: it goes where the clients go.
  pinProcess(process.pid, pins.clients);
  if (pins.warning) process.stderr.write(`warning: ${pins.warning}\n`);
  else process.stderr.write(`pinned: servers to CPU ${pins.server}, clients to CPU ${pins.clients}\n`);

  for (let round = 0; round < options.rounds; round++) {
    const results: ScenarioResult[] = [];
    run.rounds.push(results);
    // Rotating the order spreads slow drifts of the machine over every server instead of one.
    const servers = options.servers.map((_, i) => options.servers[(i + round) % options.servers.length]!);
    for (const scenario of options.scenarios) {
      for (const server of servers) {
        process.stderr.write(
          `round ${round + 1}/${options.rounds} ${scenario} / ${server}: ${options.clients} clients\n`,
        );
        const result = await runScenario(server, scenario, options, ROOT);
        process.stderr.write(
          `  p50 ${result.perPeer.p50Ms.toFixed(2)} ms, p99 ${result.perPeer.p99Ms.toFixed(2)} ms, ` +
            `server ${result.serverCpu.corePct.toFixed(1)} % core, ${result.serverCpu.usPerDelivery.toFixed(2)} µs/delivery, ` +
            `client ${result.client.corePct.toFixed(0)} % core${result.client.corePct > 85 ? ' (CLIENT-BOUND)' : ''}, ` +
            `other load ${result.machine.otherCores.toFixed(2)} cores` +
            (result.syscalls
              ? `, ${result.syscalls.perDelivery.toFixed(3)} socket-write syscalls/delivery`
              : '') +
            '\n',
        );
        results.push(result);
      }
    }
  }
  run.summary = run.rounds.flat().length ? summarizeRounds(run.rounds) : [];
  const classTables = await runClassScenarios(options);

  if (run.summary.length) process.stdout.write(`${consoleReport(run)}\n`);
  for (const table of classTables) process.stdout.write(`\n${table}\n`);
  for (const warning of warnings(run.rounds.flat(), options)) process.stdout.write(`warning: ${warning}\n`);
  const jsonFile = writeJson(run, ROOT);
  process.stdout.write(`\nraw results: ${path.relative(ROOT, jsonFile)}\n`);
  if (options.writeDocs && run.summary.length) {
    updateDocs(path.join(ROOT, 'docs/benchmarks.md'), markdownBlock(run), SECTION_INTRO);
    process.stdout.write('updated docs/benchmarks.md (## Collaboration)\n');
  }
}

/** The scenarios of issue #19, each with its own raw-socket clients; their tables, to print after the typing ones. */
async function runClassScenarios(options: BenchOptions): Promise<string[]> {
  const tables: string[] = [];
  const kinds = new Set(options.classScenarios);
  const servers = options.servers.filter((s) => s !== 'tandem-patched');
  // Raw sockets typing into one document: issue #19's class of 200 with cursors, and its steady typing of
  // 2,000 updates/s into 50 sockets (full Yjs clients cannot keep up with either).
  const typing = [
    { name: 'presence-class', clients: 200, charsPerSec: 5, cursors: true },
    { name: 'steady-typing', clients: 50, charsPerSec: 40, cursors: false },
  ] as const;
  for (const scenario of typing) {
    if (!kinds.has(scenario.name)) continue;
    const o = {
      ...scenario,
      warmupSec: 2,
      durationSec: options.durationSec,
      rounds: options.rounds,
      servers,
      root: ROOT,
      cpuProf: options.cpuProf,
    };
    tables.push(presenceClassTable(await runPresenceClass(o), o));
  }
  if (kinds.has('saturation-ramp')) {
    const o = {
      clients: 50,
      steps: RAMP_STEPS,
      warmupSec: 1,
      stepSec: 3,
      rounds: options.rounds,
      servers,
      root: ROOT,
      cpuProf: options.cpuProf,
    };
    tables.push(saturationRampTable(await runSaturationRamp(o), o));
  }
  if (kinds.has('join-storm') || kinds.has('cold-load')) {
    const { table, file } = await runJoins({
      joiners: 200,
      rounds: options.rounds,
      servers: servers.filter((s) => s === 'tandem' || s === 'hocuspocus'),
    });
    tables.push(`${table}\nraw results: ${path.relative(ROOT, file)}`);
  }
  if (kinds.has('idle-memory')) {
    const o = { documents: 200, rounds: options.rounds, servers, root: ROOT, cpuProf: options.cpuProf };
    tables.push(idleMemoryTable(await runIdleMemory(o), o));
  }
  return tables;
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'server', 'shared', 'bench'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown';
  }
}

await main();
