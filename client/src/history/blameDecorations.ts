// Draws "who wrote this" in a Monaco editor: per line a coloured bar in the gutter (one colour per author)
// and the author and time after the line's end, as decorations (text content, never HTML).
import { type BlameReply, ownValue } from '@tandem/shared';
import { type MonacoEditor, monaco } from '../editor/monaco.ts';

/** Author colours, as CSS classes `blame-author-0` ... (styles/history.css). */
const AUTHOR_COLOURS = 8;

export function formatWhen(ts: number | null, now = Date.now()): string {
  if (ts === null) return 'time unknown';
  const minutes = Math.round((now - ts) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const date = new Date(ts);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The author's name: from the class roster (the reply), else from who is here now, else their user id. */
export function authorLabel(
  reply: BlameReply,
  userId: string | null,
  present: ReadonlyMap<string, string> = new Map(),
): string {
  if (userId === null) return 'unknown author';
  return ownValue(reply.names, userId) ?? present.get(userId) ?? userId;
}

/** Each author's colour (index of the `blame-author-N` classes), in order of first appearance. */
export function authorColours(reply: BlameReply): Map<string | null, number> {
  const colours = new Map<string | null, number>();
  for (const { userId } of reply.lines) {
    if (!colours.has(userId)) colours.set(userId, colours.size % AUTHOR_COLOURS);
  }
  return colours;
}

/** The decorations of `reply` on `editor`'s current model; returns the collection to clear later. */
export function showBlame(
  editor: MonacoEditor,
  reply: BlameReply,
  present: ReadonlyMap<string, string>,
  /** How a line's time reads (the replay page says how far into the class). */
  when: (ts: number | null) => string = formatWhen,
): monaco.editor.IEditorDecorationsCollection {
  const colourOf = authorColours(reply);
  const model = editor.getModel();
  const lineCount = model?.getLineCount() ?? 0;
  const decorations: monaco.editor.IModelDeltaDecoration[] = [];
  for (const { line, userId, ts } of reply.lines) {
    if (line > lineCount) break;
    // Empty lines say nothing about authorship worth a label.
    if (model && model.getLineLength(line) === 0) continue;
    const label = `${authorLabel(reply, userId, present)} · ${when(ts)}`;
    const end = model ? model.getLineMaxColumn(line) : 1;
    decorations.push({
      range: new monaco.Range(line, 1, line, end),
      options: {
        showIfCollapsed: true,
        linesDecorationsClassName: `blame-bar blame-author-${colourOf.get(userId) ?? 0}`,
        after: { content: `   ${label}`, inlineClassName: 'blame-label' },
      },
    });
  }
  return editor.createDecorationsCollection(decorations);
}
