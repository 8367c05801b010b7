// The code editing surface: file list, editor, and the bars that explain state (read-only, following).
import {
  type CodeFile,
  ensureDefaultCodeFile,
  isStaff,
  type PersonRef,
  type Role,
  type SharedRunAudience,
  type Theme,
} from '@tandem/shared';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { DocHandle } from '../collab/DocHandle.ts';
import { useDocStatus } from '../collab/useCollab.ts';
import { HistoryTools } from '../history/HistoryTools.tsx';
import type { Peer } from '../presence/peerState.ts';
import { RunBar, RunOutput, useRunner } from '../runner/index.ts';
import { CodeEditor, type CodeEditorApi } from './CodeEditor.tsx';
import { FilePanel } from './FilePanel.tsx';
import { FollowBar } from './FollowBar.tsx';
import { useCodeFiles } from './useCodeFiles.ts';
import { useFollow } from './useFollow.ts';

export interface EditorSurfaceApi {
  /** Opens a file by name; false when there is none. */
  openFileByName(name: string): boolean;
  follow(userId: string | null): void;
}

export interface EditorSurfaceProps {
  handle: DocHandle;
  peers: readonly Peer[];
  self: { userId: string; role: Role; name?: string };
  theme: Theme;
  showFiles?: boolean;
  /** Who asked everyone to follow them (the class state's `followMe`), or null. */
  leader: PersonRef | null;
  /** Staff: turn "everyone follows me" on or off. */
  onLead?(on: boolean): Promise<unknown>;
  /** A pair's document (the pair page): its starter file speaks to the pair. */
  pair?: boolean;
  /** The first file's content in an empty document instead of the class's or pair's; null: create none. */
  starter?: string | null;
  /** Who sees the Run button's output: everyone here (default) or staff only (a student's workspace). */
  runAudience?: SharedRunAudience;
}

const CLASS_STARTER =
  '# Welcome to Tandem. Everyone in the class edits this file together.\n\nprint("hello, class")\n';
const PAIR_STARTER =
  '# Welcome to your pair. You and your partner edit this file together.\n\nprint("hello, pair")\n';

function pickInitialFile(files: readonly CodeFile[], current: string | null): string | null {
  if (current && files.some((f) => f.id === current)) return current;
  return files[0]?.id ?? null;
}

export const EditorSurface = forwardRef<EditorSurfaceApi, EditorSurfaceProps>(
  function EditorSurface(props, ref) {
    const { handle, peers, self, theme, showFiles = true, leader, onLead, pair = false, starter } = props;
    const { runAudience = 'room' } = props;
    const status = useDocStatus(handle);
    const files = useCodeFiles(handle.doc);
    const [chosen, setChosen] = useState<string | null>(null);
    const fileId = pickInitialFile(files, chosen);
    const editorRef = useRef<CodeEditorApi>(null);
    const writable = status.scope === 'read-write';
    const runner = useRunner(handle, { userId: self.userId, name: self.name ?? self.userId });
    const follow = useFollow({
      awareness: handle.awareness,
      peers,
      self,
      leaderId: leader?.id ?? null,
      fileId,
      openFile: setChosen,
      editor: editorRef,
    });

    // The first writer into an empty document creates its starter file (under a fixed id, so two racing
    // first visitors write the same entry instead of two files).
    useEffect(() => {
      if (status.synced && writable && starter !== null)
        ensureDefaultCodeFile(handle.doc, self.userId, starter ?? (pair ? PAIR_STARTER : CLASS_STARTER));
    }, [status.synced, writable, handle, self.userId, pair, starter]);

    useImperativeHandle(
      ref,
      () => ({
        openFileByName(name) {
          const file = files.find((f) => f.name === name);
          if (!file) return false;
          setChosen(file.id);
          return true;
        },
        follow: follow.follow,
      }),
      [files, follow.follow],
    );

    const readOnlyReason =
      status.scope === 'pending'
        ? 'Connecting: editing starts once the server confirms your access.'
        : 'You can watch but not edit this code (your role or a class lock).';

    return (
      <div className="editor-surface">
        {showFiles && (
          <FilePanel
            doc={handle.doc}
            files={files}
            currentId={fileId}
            peers={peers}
            writable={writable}
            userId={self.userId}
            onOpen={setChosen}
          />
        )}
        <div className="editor-main">
          {status.scope === 'readonly' && (
            <div className="banner banner-readonly" role="status" data-testid="readonly-banner">
              Read-only: {readOnlyReason}
            </div>
          )}
          <FollowBar
            follow={follow}
            peers={peers}
            lead={isStaff(self.role) && onLead ? { leader, selfId: self.userId, onLead } : null}
            tools={
              <HistoryTools
                {...{ docName: handle.name, token: handle.token, files, fileId, writable, theme, peers }}
                editor={() => editorRef.current?.editor() ?? null}
              />
            }
          />
          {files.length === 0 && status.synced && (
            <p className="empty-hint">{writable ? 'No files yet: create one with +.' : 'No files yet.'}</p>
          )}
          <RunBar runner={runner} files={files} fileId={fileId} writable={writable} audience={runAudience} />
          <CodeEditor
            ref={editorRef}
            files={files}
            fileId={fileId}
            awareness={handle.awareness}
            peers={peers}
            readOnly={!writable}
            readOnlyReason={readOnlyReason}
            theme={theme}
            onUserNavigate={follow.target ? follow.stop : undefined}
          />
          <RunOutput runner={runner} />
        </div>
      </div>
    );
  },
);
