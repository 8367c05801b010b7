// Follows who is typing in a chat room from a document's awareness: every bump of a typist's counter is stamped
// with this reader's clock, and typists fade out after TYPING_TIMEOUT_MS without one.
import type { Awareness } from 'y-protocols/awareness';
import { readTyping, type Typist, typingNames } from './typing.ts';

/**
 * Calls `onNames` with the others typing in `room` now: at once (states that arrived before the watch began
 * count too), on every awareness change and once a second. Returns the function that stops watching.
 */
export function watchTyping(
  awareness: Awareness,
  room: string,
  selfId: string,
  onNames: (names: string[]) => void,
  now: () => number = Date.now,
): () => void {
  const seen = new Map<number, Typist & { n: number }>();
  const refresh = () => onNames(typingNames(seen.values(), selfId, now()));
  const onChange = () => {
    const at = now();
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
        seen.set(clientId, { userId: user.id, name: String(user.name ?? user.id), seenAt: at, n: typing.n });
      }
    }
    for (const clientId of seen.keys()) if (!awareness.getStates().has(clientId)) seen.delete(clientId);
    refresh();
  };
  awareness.on('change', onChange);
  onChange();
  // Typists who stop bumping fade out without any awareness change.
  const timer = setInterval(refresh, 1000);
  return () => {
    awareness.off('change', onChange);
    clearInterval(timer);
  };
}
