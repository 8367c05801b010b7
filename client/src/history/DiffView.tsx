// A read-only Monaco diff editor of two texts of one file (a version against another, or against now).
import { languageForFileName, type Theme } from '@tandem/shared';
import { useEffect, useRef } from 'react';
import { monaco } from '../editor/monaco.ts';

export interface DiffViewProps {
  fileName: string;
  original: string;
  modified: string;
  theme: Theme;
}

export function DiffView({ fileName, original, modified, theme }: DiffViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const language = languageForFileName(fileName);
    const left = monaco.editor.createModel(original, language);
    const right = monaco.editor.createModel(modified, language);
    const diff = monaco.editor.createDiffEditor(container, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
    });
    diff.setModel({ original: left, modified: right });
    return () => {
      diff.dispose();
      left.dispose();
      right.dispose();
    };
  }, [fileName, original, modified]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  return <div className="history-diff" ref={containerRef} data-testid="history-diff" />;
}
