// One document's presence: who owns which awareness client id, the states clients set (written straight into
// the document's Awareness, so Hocuspocus's QueryAwareness answer, the awareness sent to a new connection and
// the 30 s outdated-state cleanup keep working), and one merged outbound frame per interval.
//
// States are written without the Awareness 'update' event: Hocuspocus broadcasts on that event, one frame per
// inbound message, and merging is the point. Server code that wants presence changes must not rely on
// document.awareness events for client states (nothing in Tandem does).
import type { Connection, Document } from '@hocuspocus/server';
import { OutgoingMessage } from '@hocuspocus/server';
import type { AppError } from '../../errors.ts';
import { TokenBucket } from '../../util/TokenBucket.ts';
import type { CollabContext } from '../context.ts';
import { type AwarenessEntry, type PresenceState, parseState, withIdentity } from './awarenessUpdate.ts';
import { type OpenFileEvents, OpenFileWatch } from './openFiles.ts';
import { admitEntries, type DropReason, type PresenceLimits, type PresenceView } from './presencePolicy.ts';

export interface PresenceOptions extends PresenceLimits {
  /** Changes of one document are sent together at most this often. */
  mergeMs: number;
  /** Presence updates one connection may make per second (bursts of as many); extra ones wait, latest wins. */
  updatesPerSec: number;
}

/** Plain counters kept by the hot path, read by /metrics. */
export interface PresenceCounts {
  applied: number;
  framesSent: number;
  dropped: Record<DropReason, number>;
}

interface Member {
  connection: Connection<CollabContext>;
  owned: Set<number>;
  bucket: TokenBucket;
  /** States that arrived while the bucket was empty, applied on a later tick (only the latest per id). */
  /** States over the member's budget, applied at a later flush; only while there are some. */
  deferred?: Map<number, { clock: number; state: PresenceState }>;
  /** Staff connections of code documents: the file they have open (openFiles.ts). */
  files: OpenFileWatch | undefined;
}

/** How long an id whose connection closed stays reserved for its owner's reconnect. */
export const REJOIN_WINDOW_MS = 10 * 60_000;
/** Reserved ids kept per document at most (oldest go first), so a busy document does not grow without end. */
export const MAX_FORMER_OWNERS = 4096;

export class PresenceRoom {
  private readonly members = new Map<Connection, Member>();
  private readonly owners = new Map<number, Member>();
  /**
   * Who owned an id whose connection has closed: only that person may take it again (a reconnect). In the order
   * they left, pruned by age and count. Only while there are some (most documents never have any).
   */
  private formerOwners: Map<number, { userId: string; leftAt: number }> | undefined;
  /** Ids changed since the last merged frame; only until that frame is sent. */
  private pending: Set<number> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly document: Document,
    private readonly options: Readonly<PresenceOptions>,
    private readonly counts: PresenceCounts,
    /** Told when the last member has left (an object: a closure per document would cost its own memory). */
    private readonly rooms: { roomEmpty(room: PresenceRoom): void },
    private readonly openFiles?: OpenFileEvents,
  ) {}

  /** Registers a connection of this document (idempotent); it leaves when it closes. */
  join(connection: Connection<CollabContext>): Member {
    let member = this.members.get(connection);
    if (!member) {
      const { updatesPerSec } = this.options;
      const bucket = new TokenBucket(updatesPerSec, updatesPerSec);
      const files = this.openFiles ? OpenFileWatch.for(connection) : undefined;
      member = { connection, owned: new Set(), bucket, files };
      this.members.set(connection, member);
      connection.onClose(() => this.leave(connection));
    }
    return member;
  }

  /** Removes a closed connection's states (broadcast with the next merged frame) and frees its ids. */
  leave(connection: Connection): void {
    const member = this.members.get(connection);
    if (!member) return;
    this.members.delete(connection);
    const { awareness } = this.document;
    const userId = connection.context.user?.id;
    const now = Date.now();
    if (member.files) this.watchFile(member, null, now);
    for (const clientId of member.owned) {
      this.owners.delete(clientId);
      if (userId !== undefined) {
        this.formerOwners ??= new Map();
        this.formerOwners.delete(clientId);
        this.formerOwners.set(clientId, { userId, leftAt: now });
      }
      if (!awareness.states.has(clientId)) continue;
      // Under the clock of the state it removes (y-protocols takes an equal clock for a removal), so the owner's
      // next state (the client renews it with clock + 1 when it is back) is newer for everyone.
      const clock = awareness.meta.get(clientId)?.clock ?? 0;
      awareness.states.delete(clientId);
      awareness.meta.set(clientId, { clock, lastUpdated: Date.now() });
      this.pending ??= new Set();
      this.pending.add(clientId);
    }
    this.pruneFormerOwners(now);
    if (this.members.size > 0) {
      this.schedule();
      return;
    }
    this.flush();
    this.rooms.roomEmpty(this);
  }

  /** Sets what `connection` may set of `entries`; a refusal only for a state that does not parse. */
  handleEntries(
    connection: Connection<CollabContext>,
    entries: readonly AwarenessEntry[],
  ): AppError | undefined {
    const member = this.join(connection);
    const admission = admitEntries(entries, this.viewOf(member), this.options);
    for (const [reason, n] of Object.entries(admission.dropped))
      this.counts.dropped[reason as DropReason] += n;
    const states: { clientId: number; clock: number; state: PresenceState }[] = [];
    for (const entry of admission.accepted) {
      const state = parseState(entry);
      if (state instanceof Error) return state;
      states.push({ clientId: entry.clientId, clock: entry.clock, state: this.stamp(member, state) });
    }
    for (const clientId of admission.claimed) this.claim(member, clientId);
    if (states.length === 0) return undefined;
    if (member.files) this.watchFile(member, states.at(-1)!.state, Date.now());
    if (member.bucket.take()) {
      for (const s of states) this.apply(s.clientId, s.clock, s.state);
    } else {
      this.counts.dropped.throttled += states.length;
      member.deferred ??= new Map();
      for (const s of states) member.deferred.set(s.clientId, { clock: s.clock, state: s.state });
    }
    this.schedule();
    return undefined;
  }

  /**
   * The end of a merge interval (or of the room): applies waiting states of connections that have budget again
   * and sends everything pending as one frame; runs again later while states still wait.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const member of this.members.values()) {
      if (!member.deferred || !member.bucket.take()) continue;
      for (const [clientId, d] of member.deferred) this.apply(clientId, d.clock, d.state);
      member.deferred = undefined;
    }
    if (this.pending) this.broadcast(this.pending);
    for (const member of this.members.values()) {
      if (member.deferred) {
        this.schedule();
        return;
      }
    }
  }

  /** A staff member's state (as they sent it, before throttling): tells a file once it has stayed open. */
  private watchFile(member: Member, state: PresenceState, now: number): void {
    const opened = member.files?.observe(state, now);
    if (opened) this.openFiles?.tell(member.connection, this.document, opened);
  }

  private viewOf(member: Member): PresenceView {
    const { awareness } = this.document;
    return {
      ownedCount: member.owned.size,
      clockOf: (clientId) => awareness.meta.get(clientId)?.clock ?? 0,
      ownerOf: (clientId) => {
        const owner = this.owners.get(clientId);
        if (owner === member) return 'self';
        const ownerId = owner ? owner.connection.context.user?.id : this.formerOwners?.get(clientId)?.userId;
        if (!owner && ownerId === undefined) return undefined;
        return ownerId !== undefined && ownerId === member.connection.context.user?.id
          ? 'same_person'
          : 'other';
      },
    };
  }

  private pruneFormerOwners(now: number): void {
    const formerOwners = this.formerOwners;
    if (!formerOwners) return;
    for (const [clientId, { leftAt }] of formerOwners) {
      if (formerOwners.size <= MAX_FORMER_OWNERS && now - leftAt < REJOIN_WINDOW_MS) break;
      formerOwners.delete(clientId);
    }
    if (formerOwners.size === 0) this.formerOwners = undefined;
  }

  private claim(member: Member, clientId: number): void {
    const previous = this.owners.get(clientId);
    if (previous === member) return;
    previous?.owned.delete(clientId);
    if (previous?.deferred?.delete(clientId) && previous.deferred.size === 0) previous.deferred = undefined;
    this.owners.set(clientId, member);
    member.owned.add(clientId);
  }

  /** `user` comes from the token, never from the client. */
  private stamp(member: Member, state: PresenceState): PresenceState {
    if (state === null) return null;
    const user = member.connection.context.user;
    if (user) return withIdentity(state, user);
    const { user: _unverified, ...rest } = state;
    return rest;
  }

  /** y-protocols' rule: a newer clock wins; an equal clock only for the removal of a present state. */
  private apply(clientId: number, clock: number, state: PresenceState): void {
    const { awareness } = this.document;
    const current = awareness.meta.get(clientId)?.clock ?? 0;
    if (!(current < clock || (current === clock && state === null && awareness.states.has(clientId)))) return;
    if (state === null) awareness.states.delete(clientId);
    else awareness.states.set(clientId, state);
    awareness.meta.set(clientId, { clock, lastUpdated: Date.now() });
    this.pending ??= new Set();
    this.pending.add(clientId);
    this.counts.applied++;
  }

  private schedule(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.options.mergeMs);
  }

  /** Whether `clientId` waits for the next merged frame (a method: read fresh where sending may queue more). */
  private isPending(clientId: number): boolean {
    return this.pending?.has(clientId) ?? false;
  }

  /** One frame per message address (one per document unless providers use session awareness). */
  private broadcast(pending: Set<number>): void {
    const { awareness } = this.document;
    const clientIds = [...pending];
    this.pending = undefined;
    let address: string | undefined;
    let message: Uint8Array | undefined;
    for (const connection of this.document.getConnections()) {
      if (message === undefined || connection.messageAddress !== address) {
        address = connection.messageAddress;
        message = new OutgoingMessage(address)
          .createAwarenessUpdateMessage(awareness, clientIds)
          .toUint8Array();
        this.counts.framesSent++;
      }
      connection.send(message);
    }
    // A removal has been told to everyone: its clock is no longer needed (a newer state of the id is accepted
    // anyway, and only its owner may set one), so a document open for hours keeps no entry per closed connection.
    // Not an id queued again meanwhile: sending to a closing socket closes its connection right here (Hocuspocus's
    // Connection.send), and that connection's removals wait for the next frame, which needs their clocks.
    for (const clientId of clientIds) {
      // (Read again: sending may have closed a connection, whose leave() queued new ids.)
      if (this.isPending(clientId)) continue;
      if (!awareness.states.has(clientId) && !this.owners.has(clientId)) awareness.meta.delete(clientId);
    }
  }
}
