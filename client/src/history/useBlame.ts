// "Who wrote this" while it is switched on: fetches the attribution of the open file, draws it in the editor,
// and fetches again a moment after the file changes (someone typed) or another file is opened.
import type { BlameReply } from '@tandem/shared';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { MonacoEditor } from '../editor/monaco.ts';
import { showBlame } from './blameDecorations.ts';
import type { HistoryApi } from './historyApi.ts';

/** Typing goes on: fetch once it pauses this long. */
const REFRESH_AFTER_EDIT_MS = 1500;

export interface BlameState {
  reply: BlameReply | null;
  error: string | null;
}

export function useBlame(
  on: boolean,
  api: HistoryApi,
  fileId: string | null,
  text: Y.Text | null,
  editor: () => MonacoEditor | null,
  /** Names of the people here now (user id to name), for authors the roster does not name. */
  present: () => ReadonlyMap<string, string>,
): BlameState {
  const [state, setState] = useState<BlameState>({ reply: null, error: null });

  useEffect(() => {
    if (!on || fileId === null || text === null) {
      setState({ reply: null, error: null });
      return;
    }
    let cancelled = false;
    let shown: { clear(): void } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const reply = await api.blame(fileId);
        if (cancelled) return;
        shown?.clear();
        const target = editor();
        shown = target ? showBlame(target, reply, present()) : null;
        setState({ reply, error: null });
      } catch (error) {
        if (!cancelled) setState({ reply: null, error: (error as Error).message });
      }
    };
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), REFRESH_AFTER_EDIT_MS);
    };
    void load();
    text.observe(onChange);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      text.unobserve(onChange);
      shown?.clear();
    };
  }, [on, api, fileId, text, editor, present]);

  return state;
}
