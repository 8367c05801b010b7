// A template hand-out typed or uploaded on the wall: the files as the server takes them (handoutBodySchema),
// checked here against the same limits so the instructor hears what is wrong before anything is sent.
import {
  HANDOUT_MAX_FILE_CHARS,
  HANDOUT_MAX_FILES,
  HANDOUT_MAX_TOTAL_CHARS,
  isValidId,
  MAX_FILE_NAME_LENGTH,
  type StarterFile,
} from '@tandem/shared';

/** A file id from its name: the name's id characters (`main.py` -> `main_py`), made unique. */
function idFor(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 56) || 'file';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

export function templateFiles(
  entries: readonly { name: string; content: string }[],
): { files: StarterFile[] } | { error: string } {
  const named = entries.map((e) => ({ name: e.name.trim(), content: e.content }));
  if (named.length === 0) return { error: 'Add a file: a name and its content, or upload files.' };
  if (named.length > HANDOUT_MAX_FILES)
    return { error: `A hand-out holds at most ${HANDOUT_MAX_FILES} files.` };
  const taken = new Set<string>();
  const names = new Set<string>();
  const files: StarterFile[] = [];
  let total = 0;
  for (const { name, content } of named) {
    if (!name) return { error: 'Every file needs a name.' };
    if (name.length > MAX_FILE_NAME_LENGTH)
      return { error: `${name.slice(0, 40)}…: a file name has at most ${MAX_FILE_NAME_LENGTH} characters.` };
    if (names.has(name)) return { error: `${name} is there twice.` };
    if (content.length > HANDOUT_MAX_FILE_CHARS)
      return { error: `${name} is over ${HANDOUT_MAX_FILE_CHARS} characters.` };
    total += content.length;
    const id = idFor(name, taken);
    if (!isValidId(id)) return { error: `${name}: not a usable file name.` };
    taken.add(id);
    names.add(name);
    files.push({ id, name, content });
  }
  if (total > HANDOUT_MAX_TOTAL_CHARS)
    return { error: `A hand-out holds at most ${HANDOUT_MAX_TOTAL_CHARS} characters in all.` };
  return { files };
}
