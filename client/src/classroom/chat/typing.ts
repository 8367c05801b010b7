// "Ana and Li are typing": who is typing in a chat room, from awareness. A typist bumps a counter in their
// awareness state while typing; each reader stamps every bump with its own clock (so clock skew between
// machines does not matter) and forgets a typist after TYPING_TIMEOUT_MS without a bump.
export const TYPING_TIMEOUT_MS = 5000;
/** How often a typist re-announces while still typing. */
export const TYPING_REFRESH_MS = 2000;
export const TYPING_FIELD = 'chatTyping';

export interface TypingState {
  room: string;
  n: number;
}

export function readTyping(state: Record<string, unknown> | undefined): TypingState | null {
  const value = state?.[TYPING_FIELD];
  if (!value || typeof value !== 'object') return null;
  const { room, n } = value as { room?: unknown; n?: unknown };
  return typeof room === 'string' && typeof n === 'number' ? { room, n } : null;
}

export interface Typist {
  userId: string;
  name: string;
  /** Local time of the last bump this reader saw. */
  seenAt: number;
}

/** Names of people typing now (other than `selfId`), one per person, sorted. */
export function typingNames(typists: Iterable<Typist>, selfId: string, now: number): string[] {
  const names = new Map<string, string>();
  for (const t of typists) {
    if (t.userId === selfId || now - t.seenAt >= TYPING_TIMEOUT_MS) continue;
    names.set(t.userId, t.name);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b));
}

export function formatTyping(names: readonly string[]): string {
  switch (names.length) {
    case 0:
      return '';
    case 1:
      return `${names[0]} is typing`;
    case 2:
      return `${names[0]} and ${names[1]} are typing`;
    case 3:
      return `${names[0]}, ${names[1]} and ${names[2]} are typing`;
    default:
      return `${names[0]}, ${names[1]} and ${names.length - 2} others are typing`;
  }
}
