// The long fuzz run: `npm run fuzz -- --minutes N [--seed S] [--target collab,yjs,media,rest]`.
// Runs the real server as a child process (a crash is an exit, not a caught exception), fuzzes it in
// batches with the witnesses' invariant after each, and on a crash restarts it and replays the batch case
// by case to name the culprit. Findings go to fuzz-findings/ (git-ignored) as replayable JSON:
// `npm run fuzz -- --replay fuzz-findings/<file>.json`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FuzzCase, runCase, TARGETS, type TargetName } from '../../test/fuzz/cases.ts';
import { emptyStats, type Finding, runFuzz, summarize, targetEnv } from '../../test/fuzz/harness.ts';
import { readMemory, Witnesses } from '../../test/fuzz/witness.ts';
import { type ServerProcess, startServerProcess } from '../../test/helpers/serverProcess.ts';
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
    replay: { type: 'string' },
  },
});

const targets = values.target.split(',').map((t) => t.trim()) as TargetName[];
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t}; use ${TARGETS.join(',')}`);
const media = targets.includes('media') && fs.existsSync(WORKER_BIN);
if (targets.includes('media') && !media) console.warn(`media target without the worker (${WORKER_BIN}): run scripts/setup.sh`);

async function startServer(): Promise<ServerProcess & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-fuzz-'));
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    AUTH_SECRET: SECRET,
    LOG_LEVEL: 'error',
    MEDIA_ENABLED: String(media),
    MEDIA_WORKERS: '1',
    RTC_PORT: '0',
    RTC_LISTEN_IP: '127.0.0.1',
    STORE_DEBOUNCE_MS: '200',
  });
  return { ...server, dataDir };
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

function writeFinding(f: Finding, extra: Record<string, unknown> = {}): string {
  fs.mkdirSync(values.out, { recursive: true });
  const file = path.join(values.out, `${new Date().toISOString().replace(/[:.]/g, '-')}-${f.target}-${f.kind}.json`);
  const note = 'Tokens are HS256 with the fuzz secret below (fixed iat/exp); replay: npm run fuzz -- --replay <this file>';
  fs.writeFileSync(file, `${JSON.stringify({ note, secret: SECRET, ...f, ...extra }, null, 1)}\n`);
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

async function replay(file: string): Promise<void> {
  const finding = JSON.parse(fs.readFileSync(file, 'utf8')) as Finding;
  const server = await startServer();
  try {
    const env = await targetEnv(server.url, SECRET, media);
    const witnesses = await Witnesses.start(server.url, env.mint, { media });
    for (const [i, c] of finding.cases.entries()) {
      const outcome = await runCase(server.url, c);
      console.log(`case ${i} (${c.target}): ${outcome.result}${outcome.problem ? ` PROBLEM ${outcome.problem}` : ''}`);
      if (!alive(server)) break;
    }
    const problems = alive(server) ? await witnesses.check({ maxHeapMb: Number(values['max-heap-mb']), maxRssMb: Number(values['max-rss-mb']) }) : [`server exited: ${server.output().slice(-2000)}`];
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
  console.log(`fuzz: seed ${seed}, ${minutes} min, targets ${targets.join(',')}${media ? '' : ' (media off)'}`);
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
        onFinding: (f) => {
          if (f.kind === 'case') console.log(`  finding (${f.target}): ${f.problem.slice(0, 200)} -> ${writeFinding(f)}`);
        },
        async afterBrokenBatch(f) {
          const crashed = !alive(server) || !(await healthy(server));
          let extra: Record<string, unknown> = {};
          if (crashed) {
            const output = server.output().slice(-3000);
            await stopServer(server);
            console.log(`  server down after batch ${f.batch}; replaying its ${f.cases.length} cases one by one`);
            const killer = await findKiller(f.cases);
            extra = killer
              ? { culprit: killer.index, culpritCase: f.cases[killer.index], serverOutput: killer.output }
              : { culprit: null, serverOutput: output, note2: 'no single case reproduced the crash alone' };
            if (killer) f.problem = `server crashed (case ${killer.index}: ${describeCase(f.cases[killer.index]!)}); ${f.problem}`;
            server = await startServer();
            this.httpUrl = server.url;
          }
          console.log(`  finding (batch ${f.batch}): ${f.problem.slice(0, 300)} -> ${writeFinding(f, extra)}`);
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
    `fuzz summary: seed ${seed}, ${((Date.now() - started) / 60_000).toFixed(1)} min, ${stats.batches} batches, ${total} frames (${Object.entries(stats.frames)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}), heap ${firstHeapMb?.toFixed(0)} -> ${lastHeapMb?.toFixed(0)} MB, ${stats.findings.length} distinct findings`,
  );
  process.exitCode = stats.findings.length ? 1 : 0;
}

function describeCase(c: FuzzCase): string {
  if (c.kind === 'http') return `${c.raw.split('\r\n')[0]!.slice(0, 160)} (${c.how.slice(0, 160)})`;
  return `${c.target} ${c.path.slice(0, 160)}: ${c.steps.map((s) => s.how).join(' | ').slice(0, 300)}`;
}

await main();
