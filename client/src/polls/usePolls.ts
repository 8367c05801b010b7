// Staff's list of the class's polls with live results: loaded once, reloaded (debounced) on every `poll`
// notice, answers included, and after each action staff take.
import type { ClassNotice, PollView } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import type { PollsApi } from './pollsApi.ts';

const RELOAD_DEBOUNCE_MS = 100;

export function usePolls(live: LiveClass, api: PollsApi, enabled: boolean) {
  const [polls, setPolls] = useState<PollView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const reload = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const request = ++latest.current;
      api.list().then(
        (reply) => {
          if (request !== latest.current) return;
          setPolls(reply.polls);
          setError(null);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    }, RELOAD_DEBOUNCE_MS);
  }, [api]);

  useEffect(() => {
    if (!enabled) return;
    reload();
    const off = live.onNotice((notice: ClassNotice) => {
      if (notice.type === 'poll') reload();
    });
    return () => {
      off();
      clearTimeout(timer.current);
    };
  }, [enabled, live.onNotice, reload]);

  return { polls, error, reload };
}
