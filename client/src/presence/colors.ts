// Each person's colour, derived from their user id so that every client agrees without trusting what a
// peer claims. The palette is fixed so the editor can style cursors with static CSS classes.

export const PALETTE = [
  '#e11d48',
  '#2563eb',
  '#16a34a',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#ea580c',
  '#4f46e5',
  '#0d9488',
  '#9333ea',
] as const;

/** FNV-1a: small, stable across browsers, good enough to spread ids over the palette. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function colorIndexFor(userId: string): number {
  return hash(userId) % PALETTE.length;
}

export function colorFor(userId: string): string {
  return PALETTE[colorIndexFor(userId)] ?? PALETTE[0];
}

/** Up to two initials for an avatar ("Ada Lovelace" -> "AL"). */
export function initialsOf(name: string): string {
  const words = name
    .replace(/\(.*?\)/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? '?'];
  return letters
    .map((w) => [...(w ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}
