// The Routers of one class call over the node's workers. The call's own Router (the primary) holds every
// producer, the audio observers and what the recorder follows; once each Router has MEDIA_VIEWERS_PER_ROUTER
// viewers (receive transports), the call grows a Router on a worker it does not use yet, new viewers go to the
// least loaded Router, and a producer is piped (`pipeToRouter`) to a spread Router once, the first time a
// viewer there consumes it. mediasoup keeps a pipe in step with its source: closing the source producer closes
// the pipe producer (and so the consumers of it), pausing it pauses the pipe producer.
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { MEDIA_CODECS } from './codecs.ts';
import type { WorkerSlot } from './WorkerPool.ts';

/** What a call needs of the worker pool to spread: another live worker (WorkerPool.pickExcept). */
export interface SlotPicker {
  pickExcept(used: ReadonlySet<WorkerSlot>): WorkerSlot | undefined;
}

export interface PlacedRouter {
  readonly router: ms.Router;
  readonly slot: WorkerSlot;
  /** Peer ids whose receive transport is on this Router. */
  readonly viewers: Set<string>;
  /** Producers of the primary piped here, by producer id (the pipe producer keeps the id). */
  readonly pipes: Map<string, Promise<ms.Producer>>;
}

export interface RouterSetOptions {
  primary: { router: ms.Router; slot: WorkerSlot };
  picker: SlotPicker;
  viewersPerRouter: number;
  /** Given to the spread Routers too (class and room, for dumps and logs). */
  appData: ms.AppData;
  log: Logger;
  /** A spread Router closed under a viewer (its worker died): that viewer lost its receive transport. */
  onViewerLost(peerId: string): void;
}

export class RouterSet {
  readonly primary: PlacedRouter;
  readonly #routers: PlacedRouter[];
  readonly #placed = new Map<string, PlacedRouter>();
  /** One Router is added at a time; viewers arriving meanwhile wait for it. */
  #growing: Promise<PlacedRouter | undefined> | undefined;
  #warnedFull = false;
  #closed = false;

  constructor(private readonly options: RouterSetOptions) {
    this.primary = { ...options.primary, viewers: new Set(), pipes: new Map() };
    this.#routers = [this.primary];
  }

  /** Every live Router of the call, the primary first. */
  routers(): readonly PlacedRouter[] {
    return this.#routers;
  }

  /** Producers piped (or being piped) to spread Routers. */
  get pipeCount(): number {
    let count = 0;
    for (const placed of this.#routers) count += placed.pipes.size;
    return count;
  }

  /** The Router a viewer's receive transport is on (the primary for a peer without one). */
  routerOf(peerId: string): PlacedRouter {
    return this.#placed.get(peerId) ?? this.primary;
  }

  /**
   * Chooses the Router for a viewer's receive transport: the least loaded one below the threshold, else a new
   * one on a worker the call does not use yet, else (every worker used) the least loaded one. release() it when
   * the transport closes.
   */
  async placeViewer(peerId: string): Promise<PlacedRouter> {
    for (;;) {
      if (this.#closed) throw new AppError('unavailable', 'the class media session just closed; join again');
      const open = this.#leastLoaded((placed) => placed.viewers.size < this.options.viewersPerRouter);
      if (open) return this.#assign(peerId, open);
      this.#growing ??= this.#grow().finally(() => {
        this.#growing = undefined;
      });
      if (await this.#growing) continue;
      if (!this.#warnedFull) {
        this.#warnedFull = true;
        this.options.log.warn(
          { routers: this.#routers.length, viewersPerRouter: this.options.viewersPerRouter },
          'every worker of this node already serves this class: placing viewers above MEDIA_VIEWERS_PER_ROUTER',
        );
      }
      return this.#assign(peerId, this.#leastLoaded(() => true) ?? this.primary);
    }
  }

  /** Idempotent. */
  release(peerId: string): void {
    const placed = this.#placed.get(peerId);
    if (!placed) return;
    this.#placed.delete(peerId);
    placed.viewers.delete(peerId);
    if (placed === this.primary) return;
    placed.slot.load--;
    if (placed.router.closed && !this.#closed) this.options.onViewerLost(peerId);
  }

  /** Makes a producer of the primary consumable on `placed`: piped on first need, the pipe reused after. */
  async pipeTo(producerId: string, placed: PlacedRouter): Promise<void> {
    if (placed === this.primary) return;
    let pipe = placed.pipes.get(producerId);
    if (!pipe) {
      const forget = () => {
        if (placed.pipes.get(producerId) === pipe) placed.pipes.delete(producerId);
      };
      pipe = this.primary.router
        .pipeToRouter({ producerId, router: placed.router })
        .then(({ pipeProducer }) => {
          if (!pipeProducer || pipeProducer.closed)
            throw new AppError('not_found', `producer ${producerId} closed`);
          pipeProducer.observer.once('close', forget);
          return pipeProducer;
        });
      placed.pipes.set(producerId, pipe);
      pipe.catch(forget);
    }
    await pipe;
  }

  /** Closes every Router (the pipes and transports on them go too). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const placed of [...this.#routers].reverse()) placed.router.close();
  }

  #leastLoaded(eligible: (placed: PlacedRouter) => boolean): PlacedRouter | undefined {
    let best: PlacedRouter | undefined;
    for (const placed of this.#routers) {
      if (eligible(placed) && (!best || placed.viewers.size < best.viewers.size)) best = placed;
    }
    return best;
  }

  #assign(peerId: string, placed: PlacedRouter): PlacedRouter {
    this.#placed.set(peerId, placed);
    placed.viewers.add(peerId);
    if (placed !== this.primary) placed.slot.load++;
    return placed;
  }

  /** A Router on another worker, or undefined when every live worker already serves the call. */
  async #grow(): Promise<PlacedRouter | undefined> {
    const { picker, log, appData } = this.options;
    const slot = picker.pickExcept(new Set(this.#routers.map((placed) => placed.slot)));
    if (!slot) return undefined;
    let router: ms.Router;
    try {
      router = await slot.worker.createRouter({ mediaCodecs: MEDIA_CODECS, appData });
    } catch (error) {
      log.warn({ err: error, worker: slot.index }, 'could not spread the class to another worker');
      return undefined;
    }
    if (this.#closed) {
      router.close();
      return undefined;
    }
    const placed: PlacedRouter = { router, slot, viewers: new Set(), pipes: new Map() };
    this.#routers.push(placed);
    router.observer.once('close', () => {
      const index = this.#routers.indexOf(placed);
      if (index >= 0) this.#routers.splice(index, 1);
    });
    log.info({ worker: slot.index, routers: this.#routers.length }, 'class spread to another worker');
    return placed;
  }
}
