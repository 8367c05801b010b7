// Connection admission for the WebSocket endpoints: caps on concurrent sockets per client address and per
// user, and message budgets shared by all sockets of one address and of one user, so opening more sockets
// buys no more traffic. Budgets live only while a socket holds them, so memory follows open sockets.
import { AppError } from '../errors.ts';
import { TokenBucket } from '../util/TokenBucket.ts';

export interface AdmissionLimits {
  maxSocketsPerAddress: number;
  maxSocketsPerUser: number;
  addressMessagesPerSec: number;
  addressBurst: number;
  userMessagesPerSec: number;
  userBurst: number;
}

interface Shared {
  sockets: number;
  bucket: TokenBucket;
}

/** One admitted socket's hold on its address (and, once authenticated, its user). */
export interface Ticket {
  readonly address: string;
  /** Counts the socket against its user; throws `rate_limited` over the per-user cap. Idempotent per user. */
  claimUser(userKey: string): void;
  /** False when the address's or the user's shared budget cannot cover one more message. */
  takeMessage(): boolean;
  /** Idempotent: frees the socket's slots. */
  release(): void;
}

/** A class, not closures: a server holds one per open socket. */
class AdmissionTicket implements Ticket {
  #userSlot: Shared | undefined;
  #userKey: string | undefined;
  #released = false;

  constructor(
    private readonly admission: Admission,
    readonly address: string,
    private readonly addressSlot: Shared,
  ) {}

  claimUser(key: string): void {
    if (this.#released || this.#userKey === key) return;
    if (this.#userKey !== undefined) throw new AppError('forbidden', 'one connection carries one user');
    this.#userSlot = this.admission.holdUser(key);
    this.#userKey = key;
  }

  takeMessage(): boolean {
    return this.addressSlot.bucket.take() && (this.#userSlot ? this.#userSlot.bucket.take() : true);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.admission.drop(this.address, this.#userKey);
  }
}

export class Admission {
  readonly #addresses = new Map<string, Shared>();
  readonly #users = new Map<string, Shared>();

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly onRefused: () => void = () => undefined,
    private readonly now?: () => number,
  ) {}

  /** Admits one more socket from `address`, or throws `rate_limited` naming the cap. */
  admit(address: string): Ticket {
    const { limits } = this;
    const slot = this.#take(
      this.#addresses,
      address,
      limits.maxSocketsPerAddress,
      `too many connections from your address (${limits.maxSocketsPerAddress}); close some and retry`,
      limits.addressMessagesPerSec,
      limits.addressBurst,
    );
    return new AdmissionTicket(this, address, slot);
  }

  /** Counts one more socket of `userKey` (a ticket's claim), or throws `rate_limited` over the per-user cap. */
  holdUser(userKey: string): Shared {
    const { limits } = this;
    return this.#take(
      this.#users,
      userKey,
      limits.maxSocketsPerUser,
      `too many connections for this user (${limits.maxSocketsPerUser}); close other tabs and retry`,
      limits.userMessagesPerSec,
      limits.userBurst,
    );
  }

  #take(
    map: Map<string, Shared>,
    key: string,
    cap: number,
    refusal: string,
    ratePerSec: number,
    burst: number,
  ): Shared {
    const held = map.get(key);
    if (held && held.sockets >= cap) {
      this.onRefused();
      throw new AppError('rate_limited', refusal, { retryAfterSec: 10 });
    }
    return this.#hold(map, key, ratePerSec, burst);
  }

  /** Frees one socket's slots. */
  drop(address: string, userKey: string | undefined): void {
    this.#drop(this.#addresses, address);
    if (userKey !== undefined) this.#drop(this.#users, userKey);
  }

  /** Open sockets from an address (for tests and metrics). */
  socketsFrom(address: string): number {
    return this.#addresses.get(address)?.sockets ?? 0;
  }

  #hold(map: Map<string, Shared>, key: string, ratePerSec: number, burst: number): Shared {
    let shared = map.get(key);
    if (!shared) {
      shared = { sockets: 0, bucket: new TokenBucket(ratePerSec, burst, this.now) };
      map.set(key, shared);
    }
    shared.sockets++;
    return shared;
  }

  #drop(map: Map<string, Shared>, key: string): void {
    const shared = map.get(key);
    if (!shared) return;
    if (--shared.sockets <= 0) map.delete(key);
  }
}
