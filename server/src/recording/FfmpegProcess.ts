// One ffmpeg process: spawned at low CPU priority in its own process group (a Ctrl-C in the server's terminal
// is the server's to handle, not each recorder's), its stderr's last lines kept (they say why it failed),
// ready once it has bound its RTP port, and stopped the way that finalizes the file: an RTCP BYE on its RTP
// port (ffmpeg ends its input, writes the file's index and exits), then SIGINT, then SIGKILL if it will not go.
// (ffmpeg 5.1 acts on one SIGINT only between packets: with its RTP input idle it would wait for ever.)
import { type ChildProcess, spawn } from 'node:child_process';
import { isUdpPortBound, sendRtcpBye } from './udpPorts.ts';

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** We asked it to stop (not a crash). */
  requested: boolean;
  /** The last lines it wrote to stderr. */
  stderr: string;
}

const STDERR_KEEP_CHARS = 4000;
const READY_POLL_MS = 20;
/** How long ffmpeg may take to finish its file after the BYE, then after SIGINT, before it is killed. */
const BYE_GRACE_MS = 5000;
const INTERRUPT_GRACE_MS = 3000;

/** Lines of ffmpeg's stderr that mean the output cannot be written (not that the process crashed). */
const WRITE_FAILURE =
  /No space left on device|Permission denied|Read-only file system|Not a directory|No such file or directory|Disk quota exceeded|Is a directory/i;

export class FfmpegProcess {
  readonly exited: Promise<FfmpegExit>;
  #child: ChildProcess;
  #stderr = '';
  #stopRequested = false;
  #exit: FfmpegExit | undefined;

  constructor(ffmpegPath: string, args: string[], opts: { nice?: number } = {}) {
    // `nice` keeps a recorder or an export from slowing the live class on a busy machine.
    const niceness = opts.nice ?? 0;
    const [command, argv] =
      niceness > 0 ? ['nice', ['-n', String(niceness), ffmpegPath, ...args]] : [ffmpegPath, args];
    this.#child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.#exit) return;
        this.#exit = { code, signal, requested: this.#stopRequested, stderr: this.#stderr.trim() };
        resolve(this.#exit);
      };
      this.#child.once('error', (error) => {
        this.#stderr += `\n${error.message}`;
        done(null, null);
      });
      this.#child.once('close', done);
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** True when the exit was caused by the output path (disk full, folder gone or not writable). */
  static isWriteFailure(exit: FfmpegExit): boolean {
    return WRITE_FAILURE.test(exit.stderr);
  }

  /** Resolves once the process has bound `port` (true), or exited or timed out first (false). */
  async waitForPort(port: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running && Date.now() < deadline) {
      if (await isUdpPortBound(port)) return this.running;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    return false;
  }

  /**
   * Asks ffmpeg to finish the file and waits for it to exit (escalating if it does not). `rtpPort`: the port
   * it reads RTP on, for the BYE. Idempotent.
   */
  async stop(rtpPort?: { ip: string; port: number }): Promise<FfmpegExit> {
    if (this.#exit) return this.#exit;
    this.#stopRequested = true;
    if (rtpPort) {
      await sendRtcpBye(rtpPort.ip, rtpPort.port).catch(() => {});
      if (await this.#exitsWithin(BYE_GRACE_MS)) return this.exited;
    }
    this.#child.kill('SIGINT');
    if (await this.#exitsWithin(INTERRUPT_GRACE_MS)) return this.exited;
    this.#child.kill('SIGKILL');
    return this.exited;
  }

  /** For tests of faults: the process dies as if killed from outside. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.#child.kill(signal);
  }

  async #exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const result = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }
}

/** Runs ffmpeg to completion (a remux, a probe); rejects with its stderr when it fails. */
export async function runFfmpeg(ffmpegPath: string, args: string[], opts: { nice?: number } = {}) {
  const exit = await new FfmpegProcess(ffmpegPath, args, opts).exited;
  if (exit.code !== 0) {
    throw new Error(
      `ffmpeg failed (${exit.signal ?? exit.code}): ${exit.stderr.split('\n').slice(-3).join(' ')}`,
    );
  }
}
