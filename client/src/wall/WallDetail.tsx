// One student's workspace open full size from the wall: staff edit alongside (their cursor shows in the
// student's editor), follow the student, show the workspace to the class (the spotlight), compare it with
// the starter, or reset it to the starter (the server saves a version first). Its Run button runs the
// student's code for staff only: the output shows to the staff on the workspace, not in the student's panel.
import type { StarterFile, Theme } from '@tandem/shared';
import { useMemo, useRef, useState } from 'react';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import type { CollabSession } from '../collab/CollabSession.ts';
import { EditorSurface, type EditorSurfaceApi } from '../editor/EditorSurface.tsx';
import { useWorkspaceDoc, workspaceDocName } from '../workspaces/useWorkspaceDoc.ts';
import { workspaceApi } from '../workspaces/workspaceApi.ts';
import { DiffView } from './DiffView.tsx';
import { type OpenTileActions, openTileOf } from './openTile.ts';

export interface WallDetailProps {
  session: CollabSession;
  live: LiveClass;
  classId: string;
  student: { userId: string; name: string };
  self: { userId: string; name: string; role: 'instructor' | 'assistant' };
  starter: readonly StarterFile[] | null;
  theme: Theme;
  onClose(): void;
  extraActions?: OpenTileActions;
}

export function WallDetail(props: WallDetailProps) {
  const { session, live, classId, student, self, starter, theme, onClose, extraActions } = props;
  const name = useMemo(() => workspaceDocName(classId, student.userId), [classId, student.userId]);
  const { handle, peers } = useWorkspaceDoc(session, name, self, null);
  const editorRef = useRef<EditorSurfaceApi>(null);
  const [diff, setDiff] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const spotlit = live.state?.spotlight?.user.id === student.userId;

  const act = (what: Promise<unknown>, done: string) =>
    what.then(
      () => setMessage(done),
      (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)),
    );
  // The editor's follow bar says whom it follows and has the button that stops.
  const follow = () => editorRef.current?.follow(student.userId);

  return (
    <section className="wall-detail" aria-label={`${student.name}'s workspace`} data-testid="wall-detail">
      <div className="wall-detail-bar">
        <button type="button" className="button" onClick={onClose} aria-label="Back to the wall">
          ← Wall
        </button>
        <h3>{student.name}</h3>
        <button type="button" className="button" onClick={follow} disabled={diff}>
          Follow
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={spotlit}
          onClick={() =>
            act(
              live.api.setSpotlight(spotlit ? null : student.userId).finally(live.reload),
              spotlit ? 'Spotlight ended.' : 'Shown to the class.',
            )
          }
        >
          {spotlit ? 'End spotlight' : 'Show to class'}
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={diff}
          onClick={() => setDiff(!diff)}
          disabled={!starter}
        >
          {diff ? 'Back to editing' : 'Compare with current exercise'}
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => {
            if (
              window.confirm(
                `Reset ${student.name}'s workspace to the starter? Their work is saved as a version first.`,
              )
            )
              void act(
                workspaceApi.reset(live.api, student.userId),
                'Reset (the work before is saved as a version).',
              );
          }}
        >
          Reset
        </button>
        {handle && extraActions?.(openTileOf(student.userId, student.name, handle))}
        {message && (
          <span className="muted" role="status">
            {message}
          </span>
        )}
      </div>
      <div className="wall-detail-body">
        {!handle ? (
          <p className="muted">Opening…</p>
        ) : diff && starter ? (
          <DiffView doc={handle.doc} starter={starter} theme={theme} />
        ) : (
          <EditorSurface
            ref={editorRef}
            handle={handle}
            peers={peers}
            self={self}
            theme={theme}
            leader={null}
            starter={null}
            runAudience="staff"
          />
        )}
      </div>
    </section>
  );
}
