// Runs the real server as a child process, built as `npm start` builds it (once per test run, by
// buildServerSetup.ts), for tests that kill it for real or check its exit codes and output.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { waitFor } from './waitFor.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built server's entry file (the integration project's global setup builds it). */
function builtServer(): string {
  const main = inject('serverMain');
  if (!main)
    throw new Error('no built server: run this test in the integration project (buildServerSetup.ts)');
  return main;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export function runServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let out = '';
  const child = spawn(process.execPath, [...nodeArgs, builtServer()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      MEDIA_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function startServerProcess(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const p = runServer({ PORT: '0', HOST: '127.0.0.1', ...env }, nodeArgs);
  const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(p.output())?.[1], {
    timeoutMs: 20_000,
    message: 'server printed its URL',
  }).catch((error) => {
    p.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${p.output()}`);
  });
  return { ...p, url };
}
