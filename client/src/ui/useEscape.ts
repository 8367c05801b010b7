// Escape closes what is open over the page (a dialog, a pop-over), as users expect of any dialog.
import { useEffect, useRef } from 'react';

/**
 * While `active`, calls `onEscape` when Escape is pressed anywhere in the page, unless something inside handled
 * the key first (Monaco closing its suggestions, a form field cancelling an edit: they prevent its default).
 */
export function useEscape(active: boolean, onEscape: () => void): void {
  const latest = useRef(onEscape);
  latest.current = onEscape;
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) latest.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active]);
}
