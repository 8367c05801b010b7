// Runs the mediasoup workers (one per core by default), each with one WebRtcServer on its RTC port (retried
// while the port is still in use), hands out the least loaded one, and replaces a worker that dies (with
// backoff) after telling listeners which one it was.
import os from 'node:os';
import type { types as ms } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { type ListenSettings, planListenInfos } from './listenInfos.ts';
import { createWebRtcServerWithRetry } from './rtcPortBinding.ts';
import { TypedEmitter } from './TypedEmitter.ts';
import { keepWorkerOnSignals, onShutdownSignal } from './workerSignals.ts';

export interface WorkerSlot {
  readonly index: number;
  readonly worker: ms.Worker;
  readonly webRtcServer: ms.WebRtcServer;
  /** Peers of the rooms opened on this worker plus viewers a spread class placed on it; the pool picks the lowest. */
  load: number;
}

export interface WorkerPoolOptions extends ListenSettings {
  count: number;
  /** How long a worker keeps retrying an RTC port that is still in use (see rtcPortBinding.ts). */
  bindRetryMs: number;
  log: Logger;
  workerLogLevel?: ms.WorkerLogLevel;
}

export type WorkerPoolEvents = {
  workerDied: [{ index: number; pid: number; error: Error }];
  workerReplaced: [{ index: number; pid: number }];
};

const RESTART_DELAYS_MS = [0, 1000, 2000, 5000, 10_000, 30_000];

export class WorkerPool extends TypedEmitter<WorkerPoolEvents> {
  readonly #slots: (WorkerSlot | undefined)[];
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  /** Stops a worker waiting for its RTC port when the pool closes. */
  readonly #closing = new AbortController();
  #closed = false;
  /**
   * The process got SIGINT or SIGTERM: the server is draining and closes the pool itself. A worker that exits
   * now got the signal too (Ctrl-C, or a service manager signalling the whole process group): not replaced.
   */
  #signalled = false;
  readonly #stopWatchingSignals: () => void;

  private constructor(private readonly options: WorkerPoolOptions) {
    super((event, error) => options.log.error({ err: error, event }, 'worker pool listener failed'));
    this.#slots = new Array(options.count).fill(undefined);
    this.#stopWatchingSignals = onShutdownSignal(() => {
      this.#signalled = true;
    });
  }

  /** Starts every worker; rejects (after closing what started) if any cannot start. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      await Promise.all(pool.#slots.map((_, index) => pool.#startSlot(index)));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get aliveCount(): number {
    return this.#slots.filter(Boolean).length;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** The live worker with the fewest peers. */
  pick(): WorkerSlot {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) if (slot && (!best || slot.load < best.load)) best = slot;
    if (!best)
      throw new AppError('unavailable', 'no media worker is running right now; try again in a few seconds');
    return best;
  }

  /** The live worker with the fewest peers among those not in `used` (a class spreading: RouterSet.ts). */
  pickExcept(used: ReadonlySet<WorkerSlot>): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) {
      if (slot && !used.has(slot) && (!best || slot.load < best.load)) best = slot;
    }
    return best;
  }

  slots(): readonly WorkerSlot[] {
    return this.#slots.filter((s): s is WorkerSlot => s !== undefined);
  }

  /** Ports the WebRtcServers actually listen on (useful when RTC_PORT=0). */
  async listeningPorts(): Promise<{ index: number; udp: number[]; tcp: number[] }[]> {
    return Promise.all(
      this.slots().map(async (slot) => {
        const dump = await slot.webRtcServer.dump();
        return {
          index: slot.index,
          udp: dump.udpSockets.map((s) => s.port),
          tcp: dump.tcpServers.map((s) => s.port),
        };
      }),
    );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopWatchingSignals();
    this.#closing.abort();
    for (const timer of this.#restartTimers) clearTimeout(timer);
    this.#restartTimers.clear();
    for (const slot of this.#slots) slot?.worker.close();
    this.#slots.fill(undefined);
  }

  async #startSlot(index: number): Promise<WorkerSlot> {
    const { log } = this.options;
    const worker = await mediasoup.createWorker({
      logLevel: this.options.workerLogLevel ?? 'warn',
      appData: { index },
    });
    // The server's drain closes the workers, in order (workerSignals.ts), not mediasoup on the signal.
    if (!keepWorkerOnSignals(worker)) {
      log.warn({ index }, 'mediasoup no longer has the close-on-signal listener this server removes');
    }
    if (this.#closed) {
      worker.close();
      throw new AppError('unavailable', 'media worker pool closed while starting');
    }
    let webRtcServer: ms.WebRtcServer;
    try {
      const plan = planListenInfos(this.options, index, os.networkInterfaces());
      if (plan.guessedAddress) {
        log.warn(
          { announcedAddress: plan.guessedAddress },
          'RTC_ANNOUNCED_ADDRESS is not set: announcing this guessed address; set it to the public IP behind NAT',
        );
      }
      webRtcServer = await createWebRtcServerWithRetry(worker, {
        listenInfos: plan.listenInfos,
        workerIndex: index,
        retryMs: this.options.bindRetryMs,
        log,
        signal: this.#closing.signal,
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    const slot: WorkerSlot = { index, worker, webRtcServer, load: 0 };
    this.#slots[index] = slot;
    worker.on('died', (error) => this.#handleDeath(slot, error));
    log.info({ index, pid: worker.pid }, 'media worker started');
    return slot;
  }

  #handleDeath(slot: WorkerSlot, error: Error): void {
    if (this.#slots[slot.index] === slot) this.#slots[slot.index] = undefined;
    if (this.#signalled) {
      this.options.log.info(
        { index: slot.index, pid: slot.worker.pid },
        'media worker exited on the shutdown signal',
      );
      return;
    }
    this.options.log.error(
      { index: slot.index, pid: slot.worker.pid, err: error },
      'media worker died; replacing it',
    );
    this.emit('workerDied', { index: slot.index, pid: slot.worker.pid, error });
    this.#scheduleRestart(slot.index, 0);
  }

  #scheduleRestart(index: number, attempt: number): void {
    if (this.#closed) return;
    const delayMs = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)]!;
    const timer = setTimeout(() => {
      this.#restartTimers.delete(timer);
      if (this.#closed) return;
      this.#startSlot(index).then(
        (slot) => this.emit('workerReplaced', { index, pid: slot.worker.pid }),
        (error) => {
          this.options.log.error({ index, attempt, err: error }, 'media worker restart failed; retrying');
          this.#scheduleRestart(index, attempt + 1);
        },
      );
    }, delayMs);
    this.#restartTimers.add(timer);
  }
}
