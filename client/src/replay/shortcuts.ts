// The replay page's keyboard shortcuts, as data (the help popover lists the same table) and a pure mapping
// from a key press to an action.

export type ReplayAction =
  | { type: 'toggle' }
  | { type: 'skip'; ms: number }
  | { type: 'stepEdit'; direction: 1 | -1 }
  | { type: 'help' };

export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Play or pause' },
  { keys: '← / →', does: 'Back or forward 5 seconds' },
  { keys: 'Shift + ← / →', does: 'Back or forward 30 seconds' },
  { keys: ', / .', does: 'Previous or next edit of the open document' },
  { keys: '?', does: 'Show or hide this list' },
];

export const SKIP_MS = 5_000;
export const LONG_SKIP_MS = 30_000;

export function actionForKey(e: {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): ReplayAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
    case 'k':
      return { type: 'toggle' };
    case 'ArrowLeft':
      return { type: 'skip', ms: -(e.shiftKey ? LONG_SKIP_MS : SKIP_MS) };
    case 'ArrowRight':
      return { type: 'skip', ms: e.shiftKey ? LONG_SKIP_MS : SKIP_MS };
    case ',':
      return { type: 'stepEdit', direction: -1 };
    case '.':
      return { type: 'stepEdit', direction: 1 };
    case '?':
      return { type: 'help' };
    default:
      return null;
  }
}

/** Keys typed into a field (a search box, a select) are not shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable="true"]') !== null;
}
