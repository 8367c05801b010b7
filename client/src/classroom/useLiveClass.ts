// The live class as the whole page shares it: one REST client and one class state (hands, follow-me, the
// stage, locks...), reloaded on the notices that arrive on the page's code (or board) connection, with the
// notices passed on to whoever listens (the sidebar's notifications). The people list, the editor's follow
// bar, the stage and the classroom panel all read this one state, so they cannot disagree.
import type { ClassNotice } from '@tandem/shared';
import { useCallback, useMemo, useRef } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { ClassroomApi } from './api.ts';
import { type ClassStateView, useClassState } from './useClassState.ts';

export interface LiveClass extends ClassStateView {
  api: ClassroomApi;
  /** Class notices as they arrive (each once); returns the unsubscribe function. */
  onNotice(listener: (notice: ClassNotice) => void): () => void;
}

export function useLiveClass(room: Classroom, classId: string): LiveClass {
  const { session } = room;
  const api = useMemo(() => new ClassroomApi(() => session.token(), classId), [session, classId]);
  const listeners = useRef(new Set<(notice: ClassNotice) => void>());
  const dispatch = useCallback((notice: ClassNotice) => {
    for (const listener of listeners.current) listener(notice);
  }, []);
  const { state, error, reload } = useClassState(api, room.code ?? room.board, dispatch);
  const onNotice = useCallback((listener: (notice: ClassNotice) => void) => {
    listeners.current.add(listener);
    return () => listeners.current.delete(listener);
  }, []);
  return useMemo(() => ({ state, error, reload, api, onNotice }), [state, error, reload, api, onNotice]);
}
