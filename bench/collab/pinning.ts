// Pins the server under test and the benchmark's clients to different cores (`taskset`, util-linux), so the two
// do not take turns on one core and the server's CPU time is its own work. Without taskset, or on one core,
// nothing is pinned and a warning says so (the ratios are then noisier, not wrong).
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Pinning {
  /** CPU list for the server child (taskset -c syntax), or null when not pinned. */
  server: string | null;
  /** CPU list for client processes, or null when not pinned. */
  clients: string | null;
  /** Why nothing is pinned, when it is not. */
  warning?: string;
}

let cached: Pinning | undefined;

/** Server on core 0, clients on the others (core 1 on this 2-core machine). */
export function pinning(): Pinning {
  if (cached) return cached;
  const cores = os.availableParallelism();
  if (cores < 2) cached = { server: null, clients: null, warning: 'one core: server and clients share it' };
  else if (!hasTaskset())
    cached = { server: null, clients: null, warning: 'taskset (util-linux) not found: processes not pinned' };
  else cached = { server: '0', clients: cores === 2 ? '1' : `1-${cores - 1}` };
  return cached;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The command and arguments that run `command args` on `cpus` (unchanged when cpus is null). */
export function pinnedCommand(cpus: string | null, command: string, args: string[]): [string, string[]] {
  return cpus === null ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}

/** Moves a running process (all its threads) to `cpus`; no-op when cpus is null. */
export function pinProcess(pid: number, cpus: string | null): void {
  if (cpus === null) return;
  execFileSync('taskset', ['-a', '-c', '-p', cpus, String(pid)], { stdio: 'ignore' });
}
