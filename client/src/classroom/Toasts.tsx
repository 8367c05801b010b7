// Announcements and class events as notifications: an announcement stays until dismissed (or 20 s), other
// events for a few seconds.
import { useEffect } from 'react';

export interface Toast {
  id: string;
  title: string;
  text: string;
  kind: 'announcement' | 'info';
}

const TIMEOUT_MS = { announcement: 20_000, info: 6_000 } as const;
const MAX_SHOWN = 5;

/** The toasts shown once `toast` arrives: the newest few, each notice once. */
export function withToast(shown: Toast[], toast: Toast): Toast[] {
  if (shown.some((t) => t.id === toast.id)) return shown;
  return [...shown.slice(-(MAX_SHOWN - 1)), toast];
}

export function Toasts({ toasts, dismiss }: { toasts: readonly Toast[]; dismiss(id: string): void }) {
  useEffect(() => {
    const timers = toasts.map((t) => setTimeout(() => dismiss(t.id), TIMEOUT_MS[t.kind]));
    return () => {
      for (const timer of timers) clearTimeout(timer);
    };
  }, [toasts, dismiss]);
  return (
    <div className="toasts" aria-live="assertive" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role="status">
          <strong>{t.title}</strong>
          <span>{t.text}</span>
          <button type="button" className="link-button" onClick={() => dismiss(t.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
