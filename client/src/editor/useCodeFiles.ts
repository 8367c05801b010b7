// The files of a code document as React state, updated when files are added, renamed or removed (edits
// inside a file do not re-render the list).
import { type CodeFile, codeFilesMap, listCodeFiles } from '@tandem/shared';
import { useEffect, useState } from 'react';
import * as Y from 'yjs';

export function useCodeFiles(doc: Y.Doc): CodeFile[] {
  const [files, setFiles] = useState<CodeFile[]>(() => listCodeFiles(doc));
  useEffect(() => {
    const map = codeFilesMap(doc);
    const update = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      // Only the map itself and entries' plain fields matter; Y.Text content changes are ignored.
      if (events.some((e) => !(e.target instanceof Y.Text))) setFiles(listCodeFiles(doc));
    };
    setFiles(listCodeFiles(doc));
    map.observeDeep(update);
    return () => map.unobserveDeep(update);
  }, [doc]);
  return files;
}
