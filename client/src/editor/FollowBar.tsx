// One line above the editor: whom you follow (with a way out), and for staff the one "everyone follows me"
// switch of the page (its state is the class state's `followMe`, so every page agrees); and, at its end, the
// editor's tools (history).
import type { ReactNode } from 'react';
import type { Peer } from '../presence/peerState.ts';
import { Switch } from '../ui/Switch.tsx';
import type { FollowControls } from './useFollow.ts';

export interface LeadControls {
  /** Who leads now (class state), or null. */
  leader: { id: string; name: string } | null;
  selfId: string;
  onLead(on: boolean): Promise<unknown>;
}

export function FollowBar({
  follow,
  peers,
  lead,
  tools,
}: {
  follow: FollowControls;
  peers: readonly Peer[];
  /** Staff only. */
  lead: LeadControls | null;
  /** Buttons at the bar's end. */
  tools?: ReactNode;
}) {
  const followers = new Set(peers.filter((p) => !p.isSelf && p.following !== null).map((p) => p.user.id))
    .size;
  if (!follow.target && !lead && !tools) return null;
  const leading = lead?.leader?.id === lead?.selfId;
  return (
    <div className="follow-bar" data-testid="follow-bar">
      {follow.target && (
        <span className="following">
          <span className="dot" style={{ backgroundColor: follow.target.peer.color }} />
          Following {follow.target.peer.user.name}
          {follow.target.reason === 'followMe' ? ' (they asked everyone to follow)' : ''}
          <button type="button" className="small-button" onClick={follow.stop}>
            Stop following
          </button>
        </span>
      )}
      {lead && (
        <span className="follow-me">
          {lead.leader && !leading && <span className="muted">{lead.leader.name} leads</span>}
          <Switch
            checked={leading}
            onChange={lead.onLead}
            testId="follow-me"
            title="Everyone's editor shows your file and scroll position"
          >
            Everyone follows me{followers > 0 ? ` (${followers} following by choice)` : ''}
          </Switch>
        </span>
      )}
      {tools}
    </div>
  );
}
