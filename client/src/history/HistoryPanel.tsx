// The History panel: the document's versions, newest first, with saving the current state under a label,
// comparing any two (or one with now) file by file in a Monaco diff editor, and restoring one (a new edit on
// top, so nothing is rewritten and the restore itself can be undone by restoring again).
import type { CodeFile, Theme } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { TextDiff } from '../editor/TextDiff.tsx';
import { useEscape } from '../ui/useEscape.ts';
import { formatWhen } from './blameDecorations.ts';
import { GradingSection, type GradingStudent } from './GradingSection.tsx';
import type { HistoryApi, VersionFiles, VersionSummary } from './historyApi.ts';
import { useBusyAction } from './useBusyAction.ts';

export interface HistoryPanelProps {
  api: HistoryApi;
  files: readonly CodeFile[];
  fileId: string | null;
  writable: boolean;
  theme: Theme;
  /** Staff: the students present, for the workspaces section (with those listed by the server); null for others. */
  students: readonly GradingStudent[] | null;
  onClose(): void;
}

/** A side of a comparison: a version id, or the live document. */
type Side = number | 'now';

const sideValue = (side: Side) => String(side);
const parseSide = (value: string): Side => (value === 'now' ? 'now' : Number(value));

export function HistoryPanel(props: HistoryPanelProps) {
  const { api, files, fileId, writable, theme, students, onClose } = props;
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [label, setLabel] = useState('');
  const { busy, error, setError, run } = useBusyAction();
  const [left, setLeft] = useState<Side | null>(null);
  const [right, setRight] = useState<Side>('now');
  const [diff, setDiff] = useState<{ name: string; original: string; modified: string } | null>(null);
  const dialog = useRef<HTMLDivElement>(null);

  // A dialog: it takes the focus when it opens and gives it back when it closes; Escape closes it.
  useEffect(() => {
    const before = document.activeElement;
    dialog.current?.focus();
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  useEscape(true, onClose);

  const refresh = useCallback(async () => {
    try {
      const list = await api.versions();
      setVersions(list);
      setLeft((current) => current ?? list[0]?.id ?? null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, setError]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const filesOf = async (side: Side): Promise<VersionFiles> => {
    if (side !== 'now') return api.files(side);
    return new Map(files.map((f) => [f.id, { name: f.name, text: f.text.toString() }]));
  };

  const compare = () =>
    run(async () => {
      if (left === null) return;
      const [a, b] = await Promise.all([filesOf(left), filesOf(right)]);
      // The open file, or else the first file either side has.
      const id =
        fileId && (a.has(fileId) || b.has(fileId)) ? fileId : ([...b.keys(), ...a.keys()][0] ?? null);
      if (id === null) throw new Error('Neither side has any file.');
      const name = b.get(id)?.name ?? a.get(id)?.name ?? id;
      setDiff({ name, original: a.get(id)?.text ?? '', modified: b.get(id)?.text ?? '' });
    });

  const save = () =>
    run(async () => {
      await api.save(label.trim());
      setLabel('');
      await refresh();
    });

  const restore = (version: VersionSummary) =>
    run(async () => {
      if (!window.confirm(`Restore "${version.label}"? It becomes a new edit on top; nothing is lost.`))
        return;
      await api.restore(version.id);
      setDiff(null);
    });

  const describe = (side: Side) => {
    if (side === 'now') return 'Now';
    const v = versions.find((x) => x.id === side);
    return v ? v.label : `#${side}`;
  };

  return (
    <div
      className="history-panel"
      role="dialog"
      aria-label="History"
      data-testid="history-panel"
      ref={dialog}
      tabIndex={-1}
    >
      <header className="history-header">
        <h2>History</h2>
        <button type="button" className="icon-button" aria-label="Close history" onClick={onClose}>
          ×
        </button>
      </header>
      {writable && (
        <form
          className="history-save"
          onSubmit={(e) => {
            e.preventDefault();
            if (label.trim()) void save();
          }}
        >
          <input
            value={label}
            maxLength={120}
            placeholder="Label, e.g. before refactoring"
            aria-label="Version label"
            onChange={(e) => setLabel(e.target.value)}
            data-testid="version-label"
          />
          <button
            type="submit"
            className="primary"
            disabled={busy || !label.trim()}
            data-testid="version-save"
          >
            Save version
          </button>
        </form>
      )}
      {error && (
        <p className="history-error" role="alert">
          {error}
        </p>
      )}
      <ol className="history-versions" data-testid="history-versions">
        {versions.length === 0 && <li className="muted">No versions yet.</li>}
        {versions.map((v) => (
          <li key={v.id} data-testid="history-version">
            <span className="history-version-label">{v.label}</span>
            <span className="muted">
              {v.authorName ?? v.authorId ?? 'server'} · {formatWhen(v.createdAt)}
            </span>
            {writable && (
              <button type="button" className="link-button" disabled={busy} onClick={() => void restore(v)}>
                Restore
              </button>
            )}
          </li>
        ))}
      </ol>
      {versions.length > 0 && (
        <div className="history-compare">
          <label>
            Compare
            <select
              value={left === null ? '' : sideValue(left)}
              onChange={(e) => setLeft(parseSide(e.target.value))}
              data-testid="compare-left"
            >
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            with
            <select
              value={sideValue(right)}
              onChange={(e) => setRight(parseSide(e.target.value))}
              data-testid="compare-right"
            >
              <option value="now">Now</option>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={busy || left === null}
            onClick={() => void compare()}
            data-testid="compare-run"
          >
            Compare
          </button>
        </div>
      )}
      {diff && left !== null && (
        <section className="history-diff-section">
          <p className="muted">
            {diff.name}: {describe(left)} → {describe(right)}
          </p>
          <TextDiff
            fileName={diff.name}
            original={diff.original}
            modified={diff.modified}
            theme={theme}
            className="history-diff"
            testId="history-diff"
          />
        </section>
      )}
      {students && <GradingSection api={api} present={students} />}
    </div>
  );
}
