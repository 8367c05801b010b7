// CPU time of other processes from /proc (Linux): the server's Node process and its mediasoup worker.
import fs from 'node:fs';

const CLOCK_TICKS_PER_SEC = 100;

/** User + system CPU seconds used so far by `pid`. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

/** CPU seconds all processes on the machine have used so far (busy time summed over every core). */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
    CLOCK_TICKS_PER_SEC
  );
}

/** Child pids of `pid` whose command is `name`. */
export function childrenNamed(pid: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && command.startsWith(name.slice(0, 15))) found.push(Number(entry));
    } catch {
      // The process went away while we looked.
    }
  }
  return found;
}

/** Samples CPU use of a set of processes between two points in time. */
export class CpuMeter {
  #start = new Map<string, number>();
  #startedAt = 0;

  constructor(private readonly read: Record<string, () => number>) {}

  start(): void {
    this.#startedAt = performance.now();
    for (const [name, read] of Object.entries(this.read)) this.#start.set(name, read());
  }

  /** Average cores used per process since start() (1.0 = one core fully busy). */
  stop(): Record<string, number> {
    const seconds = (performance.now() - this.#startedAt) / 1000;
    return Object.fromEntries(
      Object.entries(this.read).map(([name, read]) => [
        name,
        (read() - (this.#start.get(name) ?? 0)) / seconds,
      ]),
    );
  }
}
