// One student on the wall: their name, status, last edit, distance from the starter and the lines around
// their cursor. The tile opens the student's workspace document only while it is on screen (useVisible) and
// releases it when scrolled away, so a wall of 100 students holds only the visible subset open.
import type { StarterFile } from '@tandem/shared';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { usePeers } from '../collab/useCollab.ts';
import { useDocHandle } from '../collab/useSession.ts';
import { Icon } from '../ui/icons.tsx';
import { workspaceDocName } from '../workspaces/useWorkspaceDoc.ts';
import { type TileFacts, tileStatus } from './tileState.ts';
import { type TileView, useTileFacts } from './useTileFacts.ts';
import { useVisible } from './useVisible.ts';

export interface WallTileProps {
  session: CollabSession;
  classId: string;
  userId: string;
  name: string;
  handRaised: boolean;
  /** The student is in the class (the wall's merged facts): "in class" when not in their workspace. */
  inClass: boolean;
  starter: readonly StarterFile[] | null;
  now: number;
  onFacts(facts: TileFacts): void;
  onOpen(userId: string): void;
}

export const WallTile = memo(function WallTile(props: WallTileProps) {
  const { session, classId, userId, name, handRaised, inClass, starter, now, onFacts, onOpen } = props;
  const ref = useRef<HTMLButtonElement>(null);
  const visible = useVisible(ref);
  const docName = useMemo(
    () => (visible ? workspaceDocName(classId, userId) : null),
    [visible, classId, userId],
  );
  const handle = useDocHandle(session, docName, null);
  const peers = usePeers(handle?.awareness ?? null);
  const view = useTileFacts(handle, peers, userId, starter);

  useEffect(() => {
    if (!visible) return;
    onFacts({
      userId,
      name,
      handRaised,
      online: view.online,
      inClass: view.online || inClass,
      idle: view.idle,
      lastEditAt: view.lastEditAt,
      changes: view.changes,
    });
  }, [visible, userId, name, handRaised, inClass, view, onFacts]);

  const status = visible ? tileStatus({ ...view, inClass }, now) : null;
  return (
    <button
      type="button"
      ref={ref}
      className={`wall-tile${handRaised ? ' wall-tile-hand' : ''}`}
      data-testid="wall-tile"
      data-user={userId}
      data-subscribed={handle ? 'yes' : 'no'}
      data-status={status ?? 'unknown'}
      onClick={() => onOpen(userId)}
      aria-label={`${name}'s workspace`}
    >
      <div className="wall-tile-head">
        <span className="wall-tile-name">{name}</span>
        {handRaised && (
          <span className="wall-badge wall-badge-hand">
            <Icon name="hand" size={14} title="Hand raised" />
          </span>
        )}
        {status && (
          <span className={`wall-badge wall-status-${status}`}>
            {status === 'in-class' ? 'in class' : status}
          </span>
        )}
      </div>
      <TileBody view={view} visible={visible} now={now} />
    </button>
  );
});

function TileBody({ view, visible, now }: { view: TileView; visible: boolean; now: number }) {
  if (!visible) return <div className="wall-tile-code wall-tile-placeholder" />;
  const { snippet } = view;
  return (
    <>
      <pre className="wall-tile-code" data-testid="wall-tile-code">
        {snippet
          ? snippet.lines.map((line, i) => (
              <div
                // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
                key={i}
                className={i === snippet.cursorAt ? 'wall-line wall-line-cursor' : 'wall-line'}
              >
                <span className="wall-line-no">{snippet.firstLine + i}</span>
                {line || ' '}
              </div>
            ))
          : 'Nothing in this workspace yet.'}
      </pre>
      <div className="wall-tile-foot">
        <span>{view.fileName ?? ''}</span>
        <span>{view.lastEditAt ? `edited ${ago(now - view.lastEditAt)}` : 'no edits seen'}</span>
        <span data-testid="wall-tile-changes">
          {view.changes ? `+${view.changes.added} −${view.changes.removed}` : ''}
        </span>
      </div>
    </>
  );
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  return m < 60 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}
