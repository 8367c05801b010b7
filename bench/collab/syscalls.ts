// Counts the system calls a server makes to write to its sockets during the measured window: `strace -c -f`
// attached to the server's pid, only the write family traced (write, writev, sendmsg, sendto), detached at the
// window's end. Tracing slows the server down, so a run with --strace reports system calls, not CPU time.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const WRITE_CALLS = ['write', 'writev', 'sendmsg', 'sendto'] as const;

export interface SyscallCounter {
  /** Stops tracing; the calls counted per name. */
  stop(): Promise<Record<string, number>>;
}

export function countWriteSyscalls(pid: number): SyscallCounter {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-strace-')), 'counts');
  const child: ChildProcess = spawn(
    'strace',
    ['-c', '-f', '-e', `trace=${WRITE_CALLS.join(',')}`, '-o', out, '-p', String(pid)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      child.kill('SIGINT');
      await exited;
      let text = '';
      try {
        text = fs.readFileSync(out, 'utf8');
      } catch {
        throw new Error(`strace wrote no summary (ptrace not permitted?): ${stderr.trim()}`);
      } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
      }
      return parseSummary(text);
    },
  };
}

/** Reads strace -c's table: `% time seconds usecs/call calls [errors] syscall`. */
export function parseSummary(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const name = cols.at(-1);
    if (!name || !(WRITE_CALLS as readonly string[]).includes(name)) continue;
    const calls = Number(cols[3]);
    if (Number.isFinite(calls)) counts[name] = calls;
  }
  return counts;
}
