// Records attendance of live sessions as it happens: presence changes become intervals, the media
// active-speaker events become speaking time (time as the dominant speaker), and a session's start and end
// open and close everyone's intervals. Presence and speaker events arrive synchronously; their writes go
// through one queue, so they reach storage in the order they happened (a leave never overtakes its join).
import type { SessionInfo } from '@tandem/shared';
import type { Logger } from '../logger.ts';
import type { AttendanceStorage } from '../storage/types/attendance.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { PresenceChange, PresenceTracker, PresentPerson } from './PresenceTracker.ts';

interface Speaking {
  person: PresentPerson;
  rootClassId: string;
  since: number;
}

export interface AttendanceRecorderDeps {
  store: AttendanceStorage;
  sessions: Pick<SessionStorage, 'live'>;
  tracker: PresenceTracker;
  /** The main class of a media room, as resolved when its peers joined. */
  rootOf: (classId: string) => string;
  log: Logger;
  now?: () => number;
}

export class AttendanceRecorder {
  /** The current dominant speaker per media room (a main class or a breakout group). */
  private readonly speakers = new Map<string, Speaking>();
  private stopped = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly deps: AttendanceRecorderDeps) {
    this.now = deps.now ?? Date.now;
    deps.tracker.onChange((change) => this.onPresence(change));
  }

  /** Resolves once every write queued so far is stored (reports read after it). */
  flushed(): Promise<void> {
    return this.queue;
  }

  sessionStarted(session: SessionInfo): Promise<void> {
    const at = Date.parse(session.startedAt ?? '') || this.now();
    const present = this.deps.tracker.present(session.classId);
    return this.enqueue(async () => {
      for (const person of present) await this.deps.store.join(session.id, person, at);
    });
  }

  sessionEnded(session: SessionInfo): Promise<void> {
    const at = Date.parse(session.endedAt ?? '') || this.now();
    for (const [room, speaking] of this.speakers) {
      if (speaking.rootClassId !== session.classId) continue;
      this.credit(speaking, at, session);
      this.speakers.set(room, { ...speaking, since: at });
    }
    return this.enqueue(() => this.deps.store.leaveAll(session.id, at));
  }

  /** The dominant speaker of a media room changed (null: nobody). */
  onActiveSpeaker(mediaClassId: string, userId: string | null): void {
    const at = this.now();
    const previous = this.speakers.get(mediaClassId);
    if (previous?.person.id === userId) return;
    if (previous) this.credit(previous, at);
    this.speakers.delete(mediaClassId);
    if (!userId) return;
    const rootClassId = this.deps.rootOf(mediaClassId);
    const person = this.deps.tracker.person(rootClassId, userId);
    if (person) this.speakers.set(mediaClassId, { person, rootClassId, since: at });
  }

  /** A media peer left: if they held the floor, their turn ends now. */
  onMediaPeerLeft(mediaClassId: string, userId: string): void {
    const speaking = this.speakers.get(mediaClassId);
    if (speaking?.person.id !== userId) return;
    this.credit(speaking, this.now());
    this.speakers.delete(mediaClassId);
  }

  /** Speaking under way in a class, per user, not yet stored (for live reports). */
  liveSpeakingMs(session: SessionInfo): Map<string, number> {
    const out = new Map<string, number>();
    if (session.state !== 'live') return out;
    const start = Date.parse(session.startedAt ?? '') || 0;
    const at = this.now();
    for (const s of this.speakers.values()) {
      if (s.rootClassId !== session.classId) continue;
      out.set(s.person.id, (out.get(s.person.id) ?? 0) + Math.max(0, at - Math.max(s.since, start)));
    }
    return out;
  }

  /** Shutdown: turns under way are credited, open intervals end now, later disconnects are not recorded. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const at = this.now();
    for (const speaking of this.speakers.values()) this.credit(speaking, at);
    this.speakers.clear();
    this.stopped = true;
    await this.enqueue(async () => {
      await this.deps.store.closeDangling(at);
    });
  }

  private onPresence(change: PresenceChange): void {
    if (this.stopped) return;
    // Asked now (usually answered from the store's cache), so a session ending meanwhile still gets it.
    const live = this.deps.sessions.live(change.rootClassId);
    live.catch(() => {}); // handled where the queue awaits it
    void this.enqueue(async () => {
      const session = await live;
      if (!session) return;
      if (change.type === 'joined') await this.deps.store.join(session.id, change.person, change.at);
      else await this.deps.store.leave(session.id, change.person.id, change.at);
    });
  }

  /** Adds a turn to the session (by default the live one; at its end, the one just ended). */
  private credit(speaking: Speaking, at: number, ended?: SessionInfo): void {
    if (this.stopped) return;
    const live = ended ? Promise.resolve(ended) : this.deps.sessions.live(speaking.rootClassId);
    live.catch(() => {}); // handled where the queue awaits it
    void this.enqueue(async () => {
      const session = await live;
      if (!session) return;
      const start = Date.parse(session.startedAt ?? '') || 0;
      await this.deps.store.addSpeaking(session.id, speaking.person, at - Math.max(speaking.since, start));
    });
  }

  /** Runs `write` after every write queued before it; a failed write is logged and does not stop the rest. */
  private enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.queue.then(write).catch((error: unknown) => {
      this.deps.log.error({ err: error }, 'attendance write failed');
    });
    this.queue = next;
    return next;
  }
}
