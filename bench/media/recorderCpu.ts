// CPU of the server's recorder processes (ffmpeg children of the server) over a window. Recorders come and go
// (a restarted recorder is a new process), so they are sampled: each counts up to its last reading.
import { childrenNamed, cpuSeconds } from './procCpu.ts';

const SAMPLE_MS = 250;

export class RecorderCpu {
  #base = new Map<number, number>();
  #last = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;
  /** Most recorder processes seen at once during the window. */
  peakProcesses = 0;

  constructor(private readonly serverPid: number) {}

  /** The recorder processes running now. */
  pids(): number[] {
    return childrenNamed(this.serverPid, 'ffmpeg');
  }

  start(): void {
    this.#base.clear();
    this.#last.clear();
    this.peakProcesses = 0;
    this.#startedAt = performance.now();
    for (const pid of this.pids()) this.#base.set(pid, readCpu(pid) ?? 0);
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), SAMPLE_MS);
  }

  /** Average cores used by all recorders since start(). */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    const seconds = (performance.now() - this.#startedAt) / 1000;
    let used = 0;
    // A recorder that started during the window counts from zero.
    for (const [pid, last] of this.#last) used += last - (this.#base.get(pid) ?? 0);
    return used / seconds;
  }

  #sample(): void {
    const pids = this.pids();
    this.peakProcesses = Math.max(this.peakProcesses, pids.length);
    for (const pid of pids) {
      const cpu = readCpu(pid);
      if (cpu !== undefined) this.#last.set(pid, cpu);
    }
  }
}

function readCpu(pid: number): number | undefined {
  try {
    return cpuSeconds(pid);
  } catch {
    return undefined; // it exited between listing and reading
  }
}
