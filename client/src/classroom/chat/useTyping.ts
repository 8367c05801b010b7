// The typing indicator on a chat document's awareness: `announce()` while the person types (throttled),
// `stop()` when they send or leave the box; `names` are the others typing in the same room now.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { setPresence } from '../../collab/useCollab.ts';
import { TYPING_FIELD, TYPING_REFRESH_MS } from './typing.ts';
import { watchTyping } from './watchTyping.ts';

export function useTyping(awareness: Awareness | null, room: string, selfId: string) {
  const [names, setNames] = useState<string[]>([]);
  const lastAnnounce = useRef(0);
  const counter = useRef(0);

  useEffect(() => {
    if (!awareness) return;
    return watchTyping(awareness, room, selfId, setNames);
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
