// Starts one server under test in its own child process (so its CPU and memory are its own), waits for
// its `listening on http://...` line, and stops it with SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServer } from '../../scripts/build-server.mjs';
import { isTandem, type ServerKind } from './options.ts';
import { pinnedCommand } from './pinning.ts';

/** At least 32 characters, as Tandem's config requires; only ever used on loopback. */
export const BENCH_AUTH_SECRET = 'tandem-bench-secret-0123456789abcdef-loopback-only';
export const BENCH_CLASS_ID = 'bench';

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerUnderTest {
  kind: ServerKind;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Exact command line, for the report. */
  command: string;
  /** Environment given on top of PATH/HOME, for the report (the secret masked). */
  env: Record<string, string>;
  /** Where the V8 CPU profile will be once the server has stopped, if profiling. */
  cpuProfile?: string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  root: string;
  cpuProfDir?: string;
  /** Extra node flags for diagnosis, e.g. --perf-basic-prof. */
  nodeArgs: string[];
  tandemEnv: Record<string, string>;
  patches: string[];
  /** Tandem only: fills the fresh data directory before the server starts (a stored document to load). */
  seed?: (dataDir: string) => Promise<void>;
  /** CPU list to pin the server to (taskset -c), or null/absent for no pinning. */
  cpus?: string | null;
}

const ENTRY: Record<ServerKind, string> = {
  tandem: 'server/src/main.ts',
  hocuspocus: 'bench/collab/servers/stockHocuspocus.ts',
  'y-websocket': 'bench/collab/servers/stockYWebsocket.ts',
  'tandem-patched': 'bench/collab/servers/tandemPatched.ts',
};

const built = new Map<ServerKind, string>();

/**
 * Every server runs as plain JavaScript built from its entry (scripts/build-server.mjs): no TypeScript loader in
 * any of them, whose own heap and per-function names would be counted. Tandem is built as `npm start` builds it
 * (its packages built in; BENCH_TANDEM_BUILD=external leaves them imports); the stock servers load their packages
 * as published, unless BENCH_STOCK_BUILD=bundle builds them the way Tandem is built. Built once per bench run, into bench/results/build/<kind>.
 */
function builtEntry(kind: ServerKind, root: string): string {
  let file = built.get(kind);
  if (!file) {
    const packages = (
      isTandem(kind)
        ? process.env.BENCH_TANDEM_BUILD !== 'external'
        : process.env.BENCH_STOCK_BUILD === 'bundle'
    )
      ? 'bundle'
      : 'external';
    file = buildServer(path.join(root, ENTRY[kind]), path.join(root, 'bench/results/build', kind), {
      packages,
    });
    built.set(kind, file);
  }
  return path.relative(root, file);
}

export async function startServer(kind: ServerKind, opts: StartServerOptions): Promise<ServerUnderTest> {
  const dataDir = isTandem(kind) ? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-')) : undefined;
  if (dataDir && opts.seed) await opts.seed(dataDir);
  const env: Record<string, string> = isTandem(kind)
    ? {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir!,
        AUTH_SECRET: BENCH_AUTH_SECRET,
        LOG_LEVEL: 'warn',
        MEDIA_ENABLED: 'false',
        ...opts.tandemEnv,
        ...(kind === 'tandem-patched' ? { BENCH_PATCH: opts.patches.join(',') } : {}),
      }
    : {};
  const entry = builtEntry(kind, opts.root);
  const execArgv = [...opts.nodeArgs];
  const cpuProfile = opts.cpuProfDir && path.join(opts.cpuProfDir, `${kind}-${Date.now()}.cpuprofile`);
  if (cpuProfile) {
    fs.mkdirSync(path.dirname(cpuProfile), { recursive: true });
    // Profiles are large and machine-specific: never committed.
    fs.writeFileSync(path.join(path.dirname(cpuProfile), '.gitignore'), '*\n');
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${path.dirname(cpuProfile)}`,
      `--cpu-prof-name=${path.basename(cpuProfile)}`,
    );
  }
  const [command, args] = pinnedCommand(opts.cpus ?? null, process.execPath, [...execArgv, entry]);
  const child = spawn(command, args, {
    cwd: opts.root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output += d;
    // Warnings and errors from the server are part of the result; show them as they come.
    process.stderr.write(`[${kind}] ${d}`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const origin = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => fail(`no "listening on" line after ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
    );
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${kind} server: ${why}\n${output}`));
    };
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url && !settled) {
        settled = true;
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(url);
      }
    };
    child.stdout?.on('data', check);
    exited.then((code) => fail(`exited with code ${code} before listening`));
  });

  const shownEnv = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      k === 'AUTH_SECRET' ? '<48 chars>' : k === 'DATA_DIR' ? '<tmp dir>' : v,
    ]),
  );
  return {
    kind,
    pid: child.pid!,
    origin,
    command: `${opts.cpus ? `taskset -c ${opts.cpus} ` : ''}node ${execArgv.join(' ')} ${entry}`,
    env: shownEnv,
    ...(cpuProfile ? { cpuProfile: path.relative(opts.root, cpuProfile) } : {}),
    async stop() {
      await stopChild(child, exited);
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
