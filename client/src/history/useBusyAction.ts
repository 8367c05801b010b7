// One action at a time with its error: `run` marks the panel busy, clears the last error, and shows a failure's
// message (the history panel and its grading section).
import { useCallback, useState } from 'react';

export function useBusyAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
