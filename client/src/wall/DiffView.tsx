// A workspace file against the current exercise's starter in Monaco's diff editor (read-only, side by side),
// following the student's edits as they arrive. Files match by id; a file the starter lacks is compared with
// nothing. Only the current hand-out is stored (handing out again replaces it), so a student who received an
// earlier one is compared with the current one: the head says so.
import { listCodeFiles, type StarterFile, type Theme } from '@tandem/shared';
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { TextDiff } from '../editor/TextDiff.tsx';

const DIFF_REFRESH_MS = 300;

export function DiffView({
  doc,
  starter,
  theme,
}: {
  doc: Y.Doc;
  starter: readonly StarterFile[];
  theme: Theme;
}) {
  const [version, setVersion] = useState(0);
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bump = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setVersion((v) => v + 1);
      }, DIFF_REFRESH_MS);
    };
    doc.on('update', bump);
    return () => {
      clearTimeout(timer);
      doc.off('update', bump);
    };
  }, [doc]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks document changes
  const files = useMemo(() => {
    const current = listCodeFiles(doc).map((f) => ({ id: f.id, name: f.name, content: f.text.toString() }));
    const onlyStarter = starter.filter((s) => !current.some((f) => f.id === s.id));
    return [...current, ...onlyStarter.map((s) => ({ ...s, content: '' }))];
  }, [doc, starter, version]);
  const file = files.find((f) => f.id === chosen) ?? files[0] ?? null;

  const original = file ? (starter.find((s) => s.id === file.id)?.content ?? '') : '';

  return (
    <div className="wall-diff" data-testid="wall-diff">
      <div className="wall-diff-head">
        <span title="The exercise handed out last; a student who received an earlier one is compared with this one">
          Current exercise
        </span>
        {files.length > 1 ? (
          <select
            value={file?.id ?? ''}
            onChange={(e) => setChosen(e.target.value)}
            aria-label="File to compare"
          >
            {files.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        ) : (
          <span>{file?.name ?? ''}</span>
        )}
        <span>Student's code</span>
      </div>
      <TextDiff
        fileName={file?.name ?? ''}
        original={original}
        modified={file?.content ?? ''}
        theme={theme}
        className="wall-diff-editor"
      />
    </div>
  );
}
