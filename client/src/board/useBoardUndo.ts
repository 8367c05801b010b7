// Per-user undo/redo on the board: a Y.UndoManager that tracks only changes made with this client's origin.
import { boardShapesMap } from '@tandem/shared';
import { useEffect, useMemo, useState } from 'react';
import * as Y from 'yjs';

export interface BoardUndo {
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  stopCapturing(): void;
}

export function useBoardUndo(doc: Y.Doc, origin: object): BoardUndo {
  const manager = useMemo(
    () => new Y.UndoManager(boardShapesMap(doc), { trackedOrigins: new Set([origin]), captureTimeout: 300 }),
    [doc, origin],
  );
  const [state, setState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    const update = () => setState({ canUndo: manager.canUndo(), canRedo: manager.canRedo() });
    manager.on('stack-item-added', update);
    manager.on('stack-item-popped', update);
    manager.on('stack-cleared', update);
    return () => manager.destroy();
  }, [manager]);
  return {
    undo: () => manager.undo(),
    redo: () => manager.redo(),
    stopCapturing: () => manager.stopCapturing(),
    ...state,
  };
}
