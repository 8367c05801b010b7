// The editor toolbar's history buttons: "History" opens the History panel (versions: list, save, compare,
// restore); "Who wrote this" shows per line who wrote it and when, in the editor itself.
import { type CodeFile, isStaff, type Theme } from '@tandem/shared';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { MonacoEditor } from '../editor/monaco.ts';
import type { Peer } from '../presence/peerState.ts';
import { AuthorLegend } from './AuthorLegend.tsx';
import type { GradingStudent } from './GradingSection.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { HistoryApi } from './historyApi.ts';
import { useBlame } from './useBlame.ts';
import './history.css';

export interface HistoryToolsProps {
  docName: string;
  token: () => string | null;
  files: readonly CodeFile[];
  fileId: string | null;
  writable: boolean;
  theme: Theme;
  /** The editor showing the open file, for the attribution decorations. */
  editor: () => MonacoEditor | null;
  /** Who is here (names for authors the class roster does not know). */
  peers: readonly Peer[];
}

export function HistoryTools(props: HistoryToolsProps) {
  const { docName, token, files, fileId, writable, theme, editor, peers } = props;
  const api = useMemo(() => new HistoryApi(token, docName), [token, docName]);
  const [open, setOpen] = useState(false);
  const [blameOn, setBlameOn] = useState(false);
  const file = files.find((f) => f.id === fileId) ?? null;
  // The caller may pass a new function each render: the attribution must not refetch for that.
  const editorFn = useRef(editor);
  editorFn.current = editor;
  const getEditor = useCallback(() => editorFn.current(), []);
  const peersRef = useRef(peers);
  peersRef.current = peers;
  const present = useCallback(() => new Map(peersRef.current.map((p) => [p.user.id, p.user.name])), []);
  const self = peers.find((p) => p.isSelf);
  const staff = self ? isStaff(self.user.role) : false;
  const blame = useBlame(blameOn, api, file?.id ?? null, file?.text ?? null, getEditor, present);

  return (
    <div className="history-tools">
      <button type="button" className="link-button" onClick={() => setOpen(true)} data-testid="history-open">
        History
      </button>
      <button
        type="button"
        className="link-button"
        aria-pressed={blameOn}
        onClick={() => setBlameOn((v) => !v)}
        data-testid="blame-toggle"
      >
        {blameOn ? 'Hide who wrote this' : 'Who wrote this'}
      </button>
      {blameOn && blame.reply && <AuthorLegend reply={blame.reply} present={present()} />}
      {blameOn && blame.error && (
        <span className="history-error" role="alert">
          {blame.error}
        </span>
      )}
      {open && (
        <HistoryPanel
          api={api}
          files={files}
          fileId={fileId}
          writable={writable}
          theme={theme}
          students={staff ? studentsOf(peers) : null}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}

/** The students present, once each (a person may have several tabs), by name. */
function studentsOf(peers: readonly Peer[]): GradingStudent[] {
  const byId = new Map<string, GradingStudent>();
  for (const p of peers)
    if (p.user.role === 'student') byId.set(p.user.id, { id: p.user.id, name: p.user.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
