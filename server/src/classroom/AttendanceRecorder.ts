// Records attendance of live sessions as it happens: presence changes become intervals, the media
// active-speaker events become speaking time (time as the dominant speaker), and a session's start and end
// open and close everyone's intervals.
import type { SessionInfo } from '@tandem/shared';
import type { AttendanceStore } from './AttendanceStore.ts';
import type { PresenceChange, PresenceTracker, PresentPerson } from './PresenceTracker.ts';
import type { SessionStore } from './SessionStore.ts';

interface Speaking {
  person: PresentPerson;
  rootClassId: string;
  since: number;
}

export class AttendanceRecorder {
  /** The current dominant speaker per media room (a main class or a breakout group). */
  private readonly speakers = new Map<string, Speaking>();
  private stopped = false;

  constructor(
    private readonly store: AttendanceStore,
    private readonly sessions: SessionStore,
    private readonly tracker: PresenceTracker,
    private readonly rootOf: (classId: string) => string,
    private readonly now: () => number = Date.now,
  ) {
    tracker.onChange((change) => this.onPresence(change));
  }

  sessionStarted(session: SessionInfo): void {
    const at = Date.parse(session.startedAt ?? '') || this.now();
    for (const person of this.tracker.present(session.classId)) this.store.join(session.id, person, at);
  }

  sessionEnded(session: SessionInfo): void {
    const at = Date.parse(session.endedAt ?? '') || this.now();
    for (const [room, speaking] of this.speakers) {
      if (speaking.rootClassId !== session.classId) continue;
      this.credit(speaking, at, session);
      this.speakers.set(room, { ...speaking, since: at });
    }
    this.store.leaveAll(session.id, at);
  }

  /** The dominant speaker of a media room changed (null: nobody). */
  onActiveSpeaker(mediaClassId: string, userId: string | null): void {
    const at = this.now();
    const previous = this.speakers.get(mediaClassId);
    if (previous?.person.id === userId) return;
    if (previous) this.credit(previous, at);
    this.speakers.delete(mediaClassId);
    if (!userId) return;
    const rootClassId = this.rootOf(mediaClassId);
    const person = this.tracker.person(rootClassId, userId);
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
  stop(): void {
    if (this.stopped) return;
    const at = this.now();
    for (const speaking of this.speakers.values()) this.credit(speaking, at);
    this.speakers.clear();
    this.store.closeDangling(at);
    this.stopped = true;
  }

  private onPresence(change: PresenceChange): void {
    if (this.stopped) return;
    const session = this.sessions.live(change.rootClassId);
    if (!session) return;
    if (change.type === 'joined') this.store.join(session.id, change.person, change.at);
    else this.store.leave(session.id, change.person.id, change.at);
  }

  /** Adds a turn to the session (by default the live one; at its end, the one just ended). */
  private credit(speaking: Speaking, at: number, session = this.sessions.live(speaking.rootClassId)): void {
    if (this.stopped || !session) return;
    const start = Date.parse(session.startedAt ?? '') || 0;
    this.store.addSpeaking(session.id, speaking.person, at - Math.max(speaking.since, start));
  }
}
