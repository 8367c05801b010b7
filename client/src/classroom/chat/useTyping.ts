// The typing indicator on a chat document's awareness: `announce()` while the person types (throttled),
// `stop()` when they send or leave the box; `names` are the others typing in the same room now.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { setPresence } from '../../collab/useCollab.ts';
import { readTyping, TYPING_FIELD, TYPING_REFRESH_MS, type Typist, typingNames } from './typing.ts';

export function useTyping(awareness: Awareness | null, room: string, selfId: string) {
  const [names, setNames] = useState<string[]>([]);
  const typists = useRef(new Map<number, Typist & { n: number }>());
  const lastAnnounce = useRef(0);
  const counter = useRef(0);

  useEffect(() => {
    if (!awareness) return;
    const seen = typists.current;
    const refresh = () => setNames(typingNames(seen.values(), selfId, Date.now()));
    const onChange = () => {
      const now = Date.now();
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID) continue;
        const typing = readTyping(state);
        const user = state.user as { id?: unknown; name?: unknown } | undefined;
        if (!typing || typing.room !== room || typeof user?.id !== 'string') {
          seen.delete(clientId);
          continue;
        }
        const previous = seen.get(clientId);
        if (!previous || previous.n !== typing.n) {
          seen.set(clientId, {
            userId: user.id,
            name: String(user.name ?? user.id),
            seenAt: now,
            n: typing.n,
          });
        }
      }
      for (const clientId of seen.keys()) if (!awareness.getStates().has(clientId)) seen.delete(clientId);
      refresh();
    };
    awareness.on('change', onChange);
    // Typists who stop bumping fade out without any awareness change.
    const timer = setInterval(refresh, 1000);
    return () => {
      awareness.off('change', onChange);
      clearInterval(timer);
      seen.clear();
    };
  }, [awareness, room, selfId]);

  const announce = useCallback(() => {
    if (!awareness) return;
    const now = Date.now();
    if (now - lastAnnounce.current < TYPING_REFRESH_MS) return;
    lastAnnounce.current = now;
    setPresence(awareness, { [TYPING_FIELD]: { room, n: ++counter.current } });
  }, [awareness, room]);

  const stop = useCallback(() => {
    if (!awareness) return;
    lastAnnounce.current = 0;
    setPresence(awareness, { [TYPING_FIELD]: null });
  }, [awareness]);

  return { names, announce, stop };
}
