// A read-only Monaco diff editor of two texts of one file, side by side: a version against another (History)
// or a student's file against its starter (the wall). The editor is made once; new texts update its models in
// place, so a diff that follows live edits keeps its scroll position.
import { languageForFileName, type Theme } from '@tandem/shared';
import { useEffect, useRef } from 'react';
import { monaco } from './monaco.ts';

export interface TextDiffProps {
  fileName: string;
  original: string;
  modified: string;
  theme: Theme;
  className: string;
  testId?: string;
}

export function TextDiff({ fileName, original, modified, theme, className, testId }: TextDiffProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

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
      fontSize: 13,
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
    if (!editor) return;
    const language = languageForFileName(fileName);
    const current = editor.getModel();
    if (current && current.modified.getLanguageId() === language) {
      if (current.original.getValue() !== original) current.original.setValue(original);
      if (current.modified.getValue() !== modified) current.modified.setValue(modified);
      return;
    }
    editor.setModel({
      original: monaco.editor.createModel(original, language),
      modified: monaco.editor.createModel(modified, language),
    });
    current?.original.dispose();
    current?.modified.dispose();
  }, [fileName, original, modified]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  return <div className={className} ref={containerRef} data-testid={testId} />;
}
