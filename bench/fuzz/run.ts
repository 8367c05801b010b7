// The long fuzz run: `npm run fuzz -- --minutes N [--seed S] [--target collab,yjs,media,rest]`.
// Runs the real server as a child process (a crash is an exit, not a caught exception), fuzzes it in
// batches with the witnesses' invariant after each, and on a crash restarts it and replays the batch case
// by case to name the culprit. Findings go to fuzz-findings/ (git-ignored) as replayable JSON:
// `npm run fuzz -- --replay fuzz-findings/<file>.json`.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FuzzCase, runCase, TARGETS, type TargetName } from '../../test/fuzz/cases.ts';
import { emptyStats, type Finding, runFuzz, summarize, targetEnv } from '../../test/fuzz/harness.ts';
import { readMemory, Witnesses } from '../../test/fuzz/witness.ts';
import type { ServerProcess } from '../../test/helpers/serverProcess.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';

const SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret-0123456789';
const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER_BIN = path.join(ROOT, 'node_modules/mediasoup/worker/out/Release/mediasoup-worker');

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    seed: { type: 'string' },
    target: { type: 'string', default: TARGETS.join(',') },
    cases: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '6' },
    'max-heap-mb': { type: 'string', default: '512' },
    'max-rss-mb': { type: 'string', default: '1024' },
    out: { type: 'string', default: path.join(ROOT, 'fuzz-findings') },
    /** Run the server from another checkout (e.g. an older commit, to check the fuzzer finds what it fixed). */
    'server-root': { type: 'string', default: ROOT },
    replay: { type: 'string' },
  },
});

const targets = values.target.split(',').map((t) => t.trim()) as TargetName[];
for (const t of targets)
  if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; use ${TARGETS.join(',')}`);
const media = targets.includes('media') && fs.existsSync(WORKER_BIN);
if (targets.includes('media') && !media)
  console.warn(`media target without the worker (${WORKER_BIN}): run scripts/setup.sh`);

async function startServer(): Promise<ServerProcess & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-fuzz-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_SECRET: SECRET,
    LOG_LEVEL: 'error',
    MEDIA_ENABLED: String(media),
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    STORE_DEBOUNCE_MS: '200',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: values['server-root'],
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], {
    timeoutMs: 30_000,
    message: 'server printed its URL',
  }).catch((error) => {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${out}`);
  });
  return { child, url, output: () => out, exited, dataDir };
}

async function stopServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGTERM');
    const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    await server.exited;
    clearTimeout(killer);
  }
}

const alive = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;

async function healthy(s: ServerProcess): Promise<boolean> {
  if (!alive(s)) return false;
  try {
    return (await fetch(`${s.url}/healthz`, { signal: AbortSignal.timeout(3000) })).status === 200;
  } catch {
    return false;
  }
}

function writeFinding(f: Finding): string {
  fs.mkdirSync(values.out, { recursive: true });
  const file = path.join(
    values.out,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${f.target}-${f.kind}.json`,
  );
  const note =
    'Tokens are HS256 with the fuzz secret below (fixed iat/exp); replay: npm run fuzz -- --replay <this file>';
  fs.writeFileSync(file, `${JSON.stringify({ note, secret: SECRET, ...f }, null, 1)}\n`);
  return file;
}

/** Replays cases one at a time on a fresh server until one kills it; resolves that case's index. */
async function findKiller(cases: FuzzCase[]): Promise<{ index: number; output: string } | undefined> {
  const server = await startServer();
  try {
    for (let i = 0; i < cases.length; i++) {
      await runCase(server.url, cases[i]!);
      if (!(await healthy(server))) {
        await waitFor(() => !alive(server), { timeoutMs: 5000 }).catch(() => undefined);
        return { index: i, output: server.output().slice(-3000) };
      }
    }
    return undefined;
  } finally {
    await stopServer(server);
  }
}

/** Does this case alone take a fresh server down? */
async function kills(c: FuzzCase): Promise<boolean> {
  const server = await startServer();
  try {
    await runCase(server.url, c);
    if (await healthy(server)) return false;
    return true;
  } finally {
    await stopServer(server);
  }
}

/** Drops the frames a crashing WebSocket case does not need (greedy, one fresh server per try). */
async function minimize(c: FuzzCase): Promise<FuzzCase> {
  if (c.kind !== 'ws') return c;
  const bare = { ...c, steps: [] };
  if (await kills(bare)) return bare;
  let current = c;
  for (let i = current.steps.length - 1; i >= 0; i--) {
    const shorter = { ...current, steps: current.steps.filter((_, j) => j !== i) };
    if (await kills(shorter)) current = shorter;
  }
  return current;
}

async function replay(file: string): Promise<void> {
  const finding = JSON.parse(fs.readFileSync(file, 'utf8')) as Finding;
  const server = await startServer();
  try {
    const env = await targetEnv(server.url, SECRET, media);
    const witnesses = await Witnesses.start(server.url, env.mint, { media });
    for (const [i, c] of finding.cases.entries()) {
      const outcome = await runCase(server.url, c);
      console.log(
        `case ${i} (${c.target}): ${outcome.result}${outcome.problem ? ` PROBLEM ${outcome.problem}` : ''}`,
      );
      if (!alive(server)) break;
    }
    const problems = alive(server)
      ? await witnesses.check({
          maxHeapMb: Number(values['max-heap-mb']),
          maxRssMb: Number(values['max-rss-mb']),
        })
      : [`server exited: ${server.output().slice(-2000)}`];
    witnesses.destroy();
    console.log(problems.length ? `REPRODUCED: ${problems.join('; ')}` : 'invariant holds after replay');
  } finally {
    await stopServer(server);
  }
}

async function main(): Promise<void> {
  if (values.replay) return replay(values.replay);
  const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  const minutes = Number(values.minutes);
  console.log(
    `fuzz: seed ${seed}, ${minutes} min, targets ${targets.join(',')}${media ? '' : ' (media off)'}`,
  );
  let server = await startServer();
  const stats = emptyStats();
  const started = Date.now();
  let firstHeapMb: number | undefined;
  let lastHeapMb: number | undefined;
  try {
    await runFuzz(
      {
        httpUrl: server.url,
        secret: SECRET,
        targets: targets.filter((t) => t !== 'media' || media),
        seed,
        casesPerBatch: Number(values.cases),
        concurrency: Number(values.concurrency),
        memory: { maxHeapMb: Number(values['max-heap-mb']), maxRssMb: Number(values['max-rss-mb']) },
        deadline: started + minutes * 60_000,
        media,
        log: (line) => {
          const elapsed = ((Date.now() - started) / 1000).toFixed(0);
          console.log(`[${elapsed}s] ${line}`);
          if (alive(server))
            void readMemory(server.url).then(
              ({ heapMb }) => {
                firstHeapMb ??= heapMb;
                lastHeapMb = heapMb;
              },
              () => undefined,
            );
        },
        onFinding: (f) =>
          console.log(`  finding (${f.kind} ${f.target}): ${f.problem.slice(0, 300)} -> ${writeFinding(f)}`),
        async afterBrokenBatch(f) {
          const crashed = !alive(server) || !(await healthy(server));
          let extra: Record<string, unknown> = {};
          if (crashed) {
            const output = server.output().slice(-3000);
            await stopServer(server);
            console.log(
              `  server down after batch ${f.batch}; replaying its ${f.cases.length} cases one by one`,
            );
            const killer = await findKiller(f.cases);
            const minimal = killer ? await minimize(f.cases[killer.index]!) : undefined;
            if (minimal) f.cases = [minimal];
            extra = killer
              ? {
                  culprit: killer.index,
                  note2: 'cases holds the culprit alone, minimized',
                  serverOutput: killer.output,
                }
              : { culprit: null, serverOutput: output, note2: 'no single case reproduced the crash alone' };
            if (minimal) f.problem = `server crashed on ${describeCase(minimal)}`;
            server = await startServer();
            this.httpUrl = server.url;
          }
          f.extra = extra;
          return Date.now() < started + minutes * 60_000;
        },
      },
      stats,
    );
  } finally {
    await stopServer(server);
  }
  console.log(summarize(stats));
  const total = Object.values(stats.frames).reduce((s, n) => s + n, 0);
  console.log(
    `fuzz summary: seed ${seed}, ${((Date.now() - started) / 60_000).toFixed(1)} min, ${stats.batches} batches, ${total} frames (${Object.entries(
      stats.frames,
    )
      .map(([t, n]) => `${t} ${n}`)
      .join(
        ', ',
      )}), heap ${firstHeapMb?.toFixed(0)} -> ${lastHeapMb?.toFixed(0)} MB, ${stats.findings.length} distinct findings`,
  );
  process.exitCode = stats.findings.length ? 1 : 0;
}

function describeCase(c: FuzzCase): string {
  if (c.kind === 'http') return `${c.raw.split('\r\n')[0]!.slice(0, 160)} (${c.how.slice(0, 160)})`;
  const steps = c.steps.length
    ? c.steps
        .map((s) => s.how)
        .join(' | ')
        .slice(0, 300)
    : 'the upgrade alone';
  return `${c.target} ${c.path.split('?')[0]!.slice(0, 160)}: ${steps}`;
}

await main();
