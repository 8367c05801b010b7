// Whether this server can host the call, asked before joining (GET /api/media/status), so the pre-join
// screen can say why video is off instead of failing only after Join.
import { MEDIA_STATUS_PATH, type MediaStatus, mediaStatusSchema } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import * as v from 'valibot';

/** Null until known, and when the server could not be asked (then Join is offered and says what fails). */
export async function fetchMediaStatus(signal?: AbortSignal): Promise<MediaStatus | null> {
  try {
    const res = await fetch(MEDIA_STATUS_PATH, { signal: signal ?? null, cache: 'no-store' });
    if (!res.ok) return null;
    const parsed = v.safeParse(mediaStatusSchema, await res.json());
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

export function useMediaStatus(): { status: MediaStatus | null; recheck(): void } {
  const [status, setStatus] = useState<MediaStatus | null>(null);
  const [asked, setAsked] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `asked` is the recheck trigger
  useEffect(() => {
    const abort = new AbortController();
    void fetchMediaStatus(abort.signal).then((s) => {
      if (!abort.signal.aborted) setStatus(s);
    });
    return () => abort.abort();
  }, [asked]);
  const recheck = useCallback(() => setAsked((n) => n + 1), []);
  return { status, recheck };
}
