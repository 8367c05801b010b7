// CPU time of a changing set of processes over a window: a node, the Redis server, or the PostgreSQL backends
// of one node's pool (connections may open and close mid-window). Samples every process the `discover`
// function names, once a second and at the window's edges, and adds up each process's growth while it was seen.
import { readCpu } from '../collab/procStats.ts';

const SAMPLE_MS = 1000;

export class CpuMeter {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly discover: () => number[]) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  /** CPU seconds (user + system) the processes used since start. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    let total = 0;
    for (const [pid, from] of this.first) total += (this.last.get(pid) ?? from) - from;
    return total;
  }

  private sample(): void {
    for (const pid of this.discover()) {
      try {
        const { userSec, systemSec } = readCpu(pid);
        if (!this.first.has(pid)) this.first.set(pid, userSec + systemSec);
        this.last.set(pid, userSec + systemSec);
      } catch {
        // Gone between discovery and reading: its last sample stands.
      }
    }
  }
}
