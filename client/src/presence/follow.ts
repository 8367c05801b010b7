// Who this client's editor should track: an explicitly followed person, else the staff member who asked
// everyone to follow them ("follow me", the class state's `followMe`, set through the server, which checks
// who may) unless this client opted out. Pure, so it is tested without a DOM.
import type { Peer } from './peerState.ts';

export interface FollowInput {
  peers: readonly Peer[];
  self: { clientId: number; userId: string };
  /** The user id this person chose to follow, or null. */
  explicit: string | null;
  /** Who asked everyone to follow them (from the server's class state), or null. */
  leaderId: string | null;
  /** This person pressed "stop following" while someone asked everyone to follow them. */
  optedOutOfFollowMe: boolean;
}

export type FollowTarget = { peer: Peer; reason: 'explicit' | 'followMe' } | null;

/** Of one person's tabs, the one worth following: active before idle, with an open file, newest client. */
function bestClient(candidates: readonly Peer[]): Peer | undefined {
  return [...candidates].sort(
    (a, b) =>
      Number(a.idle) - Number(b.idle) ||
      Number(b.file !== null) - Number(a.file !== null) ||
      b.clientId - a.clientId,
  )[0];
}

export function pickFollowTarget({
  peers,
  self,
  explicit,
  leaderId,
  optedOutOfFollowMe,
}: FollowInput): FollowTarget {
  const others = peers.filter((p) => p.clientId !== self.clientId && p.user.id !== self.userId);
  if (explicit) {
    const peer = bestClient(others.filter((p) => p.user.id === explicit));
    // Following someone who left ends nothing by itself: when they come back, following resumes.
    return peer ? { peer, reason: 'explicit' } : null;
  }
  if (optedOutOfFollowMe || !leaderId) return null;
  const peer = bestClient(others.filter((p) => p.user.id === leaderId));
  return peer ? { peer, reason: 'followMe' } : null;
}

export interface FollowView {
  fileId: string | null;
  scrollTop: number;
}

export type FollowStep = { openFile: string | null; scrollTop: number | null };

/** What to change in our view to match the target's: open their file, then scroll where they are. */
export function followStep(target: Peer, current: FollowView, tolerancePx = 4): FollowStep {
  const openFile = target.file && target.file !== current.fileId ? target.file : null;
  const wanted = target.scroll?.top ?? null;
  const scrollTop =
    wanted !== null && (openFile !== null || Math.abs(wanted - current.scrollTop) > tolerancePx)
      ? wanted
      : null;
  return { openFile, scrollTop };
}

/** Whether `followMe` now starts for this client: a leader appeared and we had not opted out. */
export function followMeStarted(previous: FollowTarget, next: FollowTarget): boolean {
  return next?.reason === 'followMe' && previous?.reason !== 'followMe';
}
