// React bindings for the collaboration session: connection state, a document's status, and the peers in
// a document's awareness (batched so cursor moves do not re-render the page on every keystroke).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { type Peer, readPeers } from '../presence/peerState.ts';
import type { CollabSession } from './CollabSession.ts';
import type { ConnectionState } from './connectionState.ts';
import type { DocHandle, DocStatus } from './DocHandle.ts';

export function useConnectionState(session: CollabSession): ConnectionState {
  return useSyncExternalStore(
    (notify) => session.subscribe(notify),
    () => session.state,
  );
}

export function useDocStatus(handle: DocHandle): DocStatus {
  return useSyncExternalStore(
    (notify) => handle.subscribe(notify),
    () => handle.status,
  );
}

/** Statuses of several documents at once (pass a memoised array). */
export function useDocStatuses(handles: readonly DocHandle[]): readonly DocStatus[] {
  const snapshot = useRef<readonly DocStatus[]>([]);
  const subscribe = useCallback(
    (notify: () => void) => {
      const offs = handles.map((h) => h.subscribe(notify));
      return () => {
        for (const off of offs) off();
      };
    },
    [handles],
  );
  const read = () => {
    const next = handles.map((h) => h.status);
    const same = next.length === snapshot.current.length && next.every((s, i) => s === snapshot.current[i]);
    if (!same) snapshot.current = next;
    return snapshot.current;
  };
  return useSyncExternalStore(subscribe, read);
}

export const PEERS_BATCH_MS = 150;

export function usePeers(awareness: Awareness | null): Peer[] {
  const [peers, setPeers] = useState<Peer[]>(() => (awareness ? readPeers(awareness) : []));
  useEffect(() => {
    if (!awareness) return setPeers([]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        setPeers(readPeers(awareness));
      }, PEERS_BATCH_MS);
    };
    setPeers(readPeers(awareness));
    awareness.on('change', update);
    return () => {
      clearTimeout(timer);
      awareness.off('change', update);
    };
  }, [awareness]);
  return peers;
}

/** Sets fields of our own awareness state (merging, like setLocalStateField for each key). */
export function setPresence(awareness: Awareness, patch: Record<string, unknown>): void {
  const current = awareness.getLocalState() ?? {};
  const changed = Object.entries(patch).some(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
  if (changed) awareness.setLocalState({ ...current, ...patch });
}
