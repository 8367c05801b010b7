// A workspace file against its starter in Monaco's diff editor (read-only, side by side), following the
// student's edits as they arrive. Files match by id; a file the starter lacks is compared with nothing.
import { languageForFileName, listCodeFiles, type StarterFile, type Theme } from '@tandem/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { monaco } from '../editor/monaco.ts';

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
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
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

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = monaco.editor.createDiffEditor(container, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
    });
    editorRef.current = editor;
    return () => {
      const model = editor.getModel();
      editor.dispose();
      model?.original.dispose();
      model?.modified.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !file) return;
    const original = starter.find((s) => s.id === file.id)?.content ?? '';
    const language = languageForFileName(file.name);
    const current = editor.getModel();
    if (
      current &&
      current.modified.getLanguageId() === language &&
      current.original.getValue() === original
    ) {
      if (current.modified.getValue() !== file.content) current.modified.setValue(file.content);
      return;
    }
    editor.setModel({
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(file.content, language),
    });
    current?.original.dispose();
    current?.modified.dispose();
  }, [file, starter]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  return (
    <div className="wall-diff" data-testid="wall-diff">
      <div className="wall-diff-head">
        <span>Starter</span>
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
      <div className="wall-diff-editor" ref={containerRef} />
    </div>
  );
}
