// One line above the editor: whom you follow (with a way out), and for staff the "follow me" switch.
import type { Peer } from '../presence/peerState.ts';
import type { FollowControls } from './useFollow.ts';

export function FollowBar({
  follow,
  peers,
  canLead,
}: {
  follow: FollowControls;
  peers: readonly Peer[];
  canLead: boolean;
}) {
  const followers = new Set(peers.filter((p) => !p.isSelf && p.following !== null).map((p) => p.user.id))
    .size;
  if (!follow.target && !canLead) return null;
  return (
    <div className="follow-bar" data-testid="follow-bar">
      {follow.target && (
        <span className="following">
          <span className="dot" style={{ backgroundColor: follow.target.peer.color }} />
          Following {follow.target.peer.user.name}
          {follow.target.reason === 'followMe' ? ' (they asked everyone to follow)' : ''}
          <button type="button" className="link-button" onClick={follow.stop}>
            Stop following
          </button>
        </span>
      )}
      {canLead && (
        <label className="follow-me">
          <input
            type="checkbox"
            checked={follow.followMe}
            onChange={(e) => follow.setFollowMe(e.target.checked)}
            data-testid="follow-me"
          />
          Everyone follows me{followers > 0 ? ` (${followers} following by choice)` : ''}
        </label>
      )}
    </div>
  );
}
