// Idle detection: a person is idle after a stretch without input or while the tab is hidden.

export const IDLE_AFTER_MS = 2 * 60_000;

const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const;

/** Calls `onChange(idle)` whenever the state flips; returns a function that stops watching. */
export function watchIdle(onChange: (idle: boolean) => void, idleAfterMs = IDLE_AFTER_MS): () => void {
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const set = (next: boolean) => {
    if (next === idle) return;
    idle = next;
    onChange(idle);
  };
  const activity = () => {
    if (document.visibilityState === 'hidden') return;
    set(false);
    clearTimeout(timer);
    timer = setTimeout(() => set(true), idleAfterMs);
  };
  const visibility = () => (document.visibilityState === 'hidden' ? set(true) : activity());
  for (const type of ACTIVITY_EVENTS)
    window.addEventListener(type, activity, { passive: true, capture: true });
  document.addEventListener('visibilitychange', visibility);
  activity();
  return () => {
    clearTimeout(timer);
    for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, activity, { capture: true });
    document.removeEventListener('visibilitychange', visibility);
  };
}
