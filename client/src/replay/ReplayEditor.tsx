// The read-only editor of the replay page: one document's files as they were at the replay's time (tabs to
// pick a file), the authors' cursors where each last edited, and on demand "who wrote this" as of then; a line's
// "When was this written?" jumps the replay to that moment. The text follows the player's doc (a fresh doc
// after each seek, updates applied one by one while playing).
import {
  type BlameReply,
  type CodeFile,
  languageForFileName,
  listCodeFiles,
  type Theme,
} from '@tandem/shared';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { type MonacoEditor, monaco } from '../editor/monaco.ts';
import { RemoteCursorLayer } from '../editor/remoteCursors.ts';
import { showBlame } from '../history/blameDecorations.ts';
import { AuthorCursors } from './authorCursors.ts';
import type { DocPlayer } from './DocPlayer.ts';
import type { ReplayApi } from './replayApi.ts';
import { formatOffset } from './timelineView.ts';

/** Blame is fetched again once the clock has rested this long (not on every frame of playback). */
const BLAME_AFTER_REST_MS = 400;

export interface ReplayEditorProps {
  player: DocPlayer;
  api: ReplayApi;
  theme: Theme;
  /** Whether the clock is running (blame waits for a rest). */
  playing: boolean;
  nameOf(userId: string): string;
  /** Display names of the session's people (for blame labels). */
  names: Readonly<Record<string, string>>;
  /** The session's start (blame labels say how far into the class a line was written). */
  from: number;
  onJump(t: number): void;
  /**
   * The last file staff opened in this document by the replay's time (its timeline event and file id): while
   * playing, the editor switches to it when the clock passes that event, as following them would.
   */
  openedEvent: string | null;
  openedFile: string | null;
}

export function ReplayEditor(props: ReplayEditorProps) {
  const { player, api, theme, playing, nameOf, names, from, onJump, openedEvent, openedFile } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditor | null>(null);
  const cursorsRef = useRef<RemoteCursorLayer | null>(null);
  const modelsRef = useRef(new Map<string, monaco.editor.ITextModel>());
  const [fileId, setFileId] = useState<string | null>(null);
  const [blameOn, setBlameOn] = useState(false);
  const [blame, setBlame] = useState<BlameReply | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const state = useSyncExternalStore(
    (notify) => player.subscribe(notify),
    () => player.state,
  );
  const nameRef = useRef(nameOf);
  nameRef.current = nameOf;
  const [authors] = useState(() => new AuthorCursors((id) => nameRef.current(id)));

  const playingRef = useRef(playing);
  playingRef.current = playing;
  useEffect(() => {
    if (openedEvent !== null && openedFile !== null && playingRef.current) setFileId(openedFile);
  }, [openedEvent, openedFile]);

  const files: CodeFile[] = listCodeFiles(state.doc);
  const file = files.find((f) => f.id === fileId) ?? files[0] ?? null;

  // Create the editor once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = monaco.editor.create(container, {
      model: null,
      readOnly: true,
      readOnlyMessage: { value: 'This is a replay: the code as it was.' },
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
      ariaLabel: 'Replayed code (read-only)',
    });
    editorRef.current = editor;
    cursorsRef.current = new RemoteCursorLayer(monaco, editor);
    const models = modelsRef.current;
    return () => {
      cursorsRef.current?.dispose();
      editor.dispose();
      for (const model of models.values()) model.dispose();
      models.clear();
      authors.destroy();
    };
  }, [authors]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  // Every fresh doc (a seek): the cursors start over on it.
  useEffect(() => {
    authors.watch(state.doc, () => player.applying);
  }, [authors, state.doc, player]);

  // The shown file's text and the authors' cursors, after every change of the player.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    if (!file) {
      editor.setModel(null);
      cursorsRef.current?.clear();
      return;
    }
    const model = modelFor(modelsRef.current, player.name, file);
    syncText(model, file.text.toString());
    if (editor.getModel() !== model) editor.setModel(model);
    cursorsRef.current?.render(authors.resolve(file.id, file.text));
  });

  // "Who wrote this" as of the replay's time, once the clock rests; also places authors not yet seen typing.
  const fileKey = file?.id ?? null;
  useEffect(() => {
    if (fileKey === null || playing || state.loading || !Number.isFinite(state.time)) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.blame(player.name, fileKey, state.time).then(
        (reply) => {
          if (cancelled) return;
          const current = listCodeFiles(player.doc).find((f) => f.id === fileKey);
          if (current) authors.seedFromBlame(fileKey, current.text, reply);
          setBlame(reply);
        },
        () => !cancelled && setBlame(null),
      );
    }, BLAME_AFTER_REST_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, player, fileKey, playing, state.loading, state.time, authors]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !blameOn || !blame || blame.file.id !== fileKey) return;
    const when = (ts: number | null) =>
      ts === null ? 'time unknown' : `${formatOffset(ts - from)} into the class`;
    const shown = showBlame(editor, blame, new Map(Object.entries(names)), when);
    return () => shown.clear();
  }, [blameOn, blame, fileKey, names, from]);

  const whenWritten = () => {
    const line = editorRef.current?.getPosition()?.lineNumber ?? 1;
    const entry = blame?.file.id === fileKey ? blame?.lines.find((l) => l.line === line) : undefined;
    if (!entry || entry.ts === null) {
      setMessage(`No time is known for line ${line}.`);
      return;
    }
    const who = entry.userId ? nameOf(entry.userId) : 'unknown author';
    setMessage(`Line ${line} was written by ${who}, ${formatOffset(entry.ts - from)} into the class.`);
    onJump(entry.ts);
  };

  return (
    <div
      className={blameOn ? 'replay-editor blame-on' : 'replay-editor'}
      data-testid="replay-editor"
      data-document={player.name}
      data-doc-seq={state.seq}
      data-doc-time={Number.isFinite(state.time) ? state.time : ''}
      data-loading={state.loading}
      data-file-id={file?.id ?? ''}
    >
      <div className="replay-editor-bar">
        <div className="replay-files" role="tablist" aria-label="Files">
          {files.map((f) => (
            <button
              key={f.id}
              type="button"
              role="tab"
              aria-selected={f.id === file?.id}
              className={f.id === file?.id ? 'replay-file active' : 'replay-file'}
              onClick={() => setFileId(f.id)}
            >
              {f.name}
            </button>
          ))}
          {files.length === 0 && !state.loading && <span className="muted">No files yet at this moment</span>}
        </div>
        <label className="replay-toggle">
          <input type="checkbox" checked={blameOn} onChange={(e) => setBlameOn(e.target.checked)} /> Who wrote
          this
        </label>
        <button
          type="button"
          className="small-button"
          onClick={whenWritten}
          disabled={!blame}
          title="Jump to when the line with the cursor was written"
          data-testid="when-written"
        >
          When was this written?
        </button>
      </div>
      {message && (
        <p className="replay-note" role="status">
          {message}
        </p>
      )}
      {state.error && (
        <p className="form-error" role="alert">
          Could not load this document: {state.error}
        </p>
      )}
      <div className="code-editor replay-code" ref={containerRef} data-testid="code-editor" />
    </div>
  );
}

function modelFor(
  models: Map<string, monaco.editor.ITextModel>,
  docName: string,
  file: CodeFile,
): monaco.editor.ITextModel {
  const key = `${docName}/${file.id}`;
  let model = models.get(key);
  if (!model || model.isDisposed()) {
    const uri = monaco.Uri.from({
      scheme: 'tandem-replay',
      path: `/${docName}/${file.id}/${encodeURIComponent(file.name)}`,
    });
    model = monaco.editor.getModel(uri) ?? monaco.editor.createModel('', languageForFileName(file.name), uri);
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    models.set(key, model);
  }
  return model;
}

/** Replaces only the changed middle of the text, so the view keeps its scroll and decorations stay put. */
export function syncText(model: monaco.editor.ITextModel, text: string): void {
  const old = model.getValue();
  if (old === text) return;
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end))
    end++;
  const from = model.getPositionAt(start);
  const to = model.getPositionAt(old.length - end);
  model.applyEdits([
    {
      range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column),
      text: text.slice(start, text.length - end),
    },
  ]);
}
