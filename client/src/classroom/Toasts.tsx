// Announcements and class events as notifications: an announcement stays until dismissed (or 20 s), other
// events for a few seconds.
import { useEffect, useRef } from 'react';
import { ToastTimers } from './toastTimers.ts';

export interface Toast {
  id: string;
  title: string;
  text: string;
  kind: 'announcement' | 'info';
}

const MAX_SHOWN = 5;

/** The toasts shown once `toast` arrives: the newest few, each notice once. */
export function withToast(shown: Toast[], toast: Toast): Toast[] {
  if (shown.some((t) => t.id === toast.id)) return shown;
  return [...shown.slice(-(MAX_SHOWN - 1)), toast];
}

export function Toasts({ toasts, dismiss }: { toasts: readonly Toast[]; dismiss(id: string): void }) {
  const expire = useRef(dismiss);
  expire.current = dismiss;
  const timers = useRef<ToastTimers | null>(null);
  timers.current ??= new ToastTimers((id) => expire.current(id));
  useEffect(() => timers.current?.sync(toasts), [toasts]);
  useEffect(() => () => timers.current?.stop(), []);
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
