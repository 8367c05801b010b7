// @mentions: `@userId` in a chat message, where the id follows the shared id rules. Pure, shared by the
// server (which stores who was mentioned) and the client (which highlights them).
import { CHAT_MAX_MENTIONS } from './chat.ts';

/** `@` at the start or after a non-word character, then an id; e.g. "hi @ana_2," mentions "ana_2". */
export const MENTION_PATTERN = /(^|[^A-Za-z0-9_@.-])@([A-Za-z0-9_-]{1,64})/g;

export function extractMentions(text: string, known?: (id: string) => boolean): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const id = match[2]!;
    if (known && !known(id)) continue;
    found.add(id);
    if (found.size >= CHAT_MAX_MENTIONS) break;
  }
  return [...found];
}
