// Draws other people's cursors and selections in the open file, in each person's colour, with a name label.
// The label sits after the end of the caret's line, so it never covers code, is full size while the person
// moves and fades out once they rest (the caret keeps a small flag in their colour). Labels are Monaco
// content widgets whose text is set with textContent (never HTML) and that let clicks through.
import * as Y from 'yjs';
import { colorIndexFor } from '../presence/colors.ts';
import type { Peer } from '../presence/peerState.ts';
import type { MonacoEditor, monaco } from './monaco.ts';

type Monaco = typeof monaco;

interface LabelWidget extends monaco.editor.IContentWidget {
  node: HTMLElement;
  /** Where the label is drawn (after the end of the caret's line). */
  position: monaco.IPosition;
  /** Where the caret is: a move wakes the label. */
  caret: monaco.IPosition;
  fadeTimer: ReturnType<typeof setTimeout> | undefined;
}

/** Names fade out after the cursor rests this long, so they do not hide code. */
export const LABEL_FADE_MS = 2500;

/**
 * Where a caret's name goes: just after the last character of its line (on an empty line, at the caret), in
 * space no code uses.
 */
export function labelAnchor(caret: monaco.IPosition, lineMaxColumn: number): monaco.IPosition {
  return { lineNumber: caret.lineNumber, column: Math.max(caret.column, lineMaxColumn) };
}

/** Gap between a line's last character and the first name after it, in CSS pixels. */
const LABEL_GAP_PX = 14;

/**
 * Left margins for the names that end up after one line (several people on it), so they sit side by side
 * instead of on top of each other. Widths are estimated from the names' lengths (11 px text, padding).
 */
export function labelMargins(names: readonly string[]): number[] {
  let next = LABEL_GAP_PX;
  return names.map((name) => {
    const margin = next;
    next += Math.ceil(name.length * 6.3) + 14;
    return margin;
  });
}

export interface ResolvedCursor {
  clientId: number;
  name: string;
  colorIndex: number;
  /** Offsets in the file's text. */
  anchor: number;
  head: number;
}

/** Resolves each peer's relative selection against `ytext`; peers in other files are left out. */
export function resolveCursors(peers: readonly Peer[], fileId: string, ytext: Y.Text): ResolvedCursor[] {
  const doc = ytext.doc;
  if (!doc) return [];
  const cursors: ResolvedCursor[] = [];
  for (const peer of peers) {
    if (peer.isSelf || peer.file !== fileId || !peer.selection) continue;
    try {
      const anchor = Y.createAbsolutePositionFromRelativePosition(
        Y.createRelativePositionFromJSON(peer.selection.anchor),
        doc,
      );
      const head = Y.createAbsolutePositionFromRelativePosition(
        Y.createRelativePositionFromJSON(peer.selection.head),
        doc,
      );
      if (!anchor || !head || anchor.type !== ytext || head.type !== ytext) continue;
      cursors.push({
        clientId: peer.clientId,
        name: peer.user.name,
        colorIndex: colorIndexFor(peer.user.id),
        anchor: anchor.index,
        head: head.index,
      });
    } catch {
      // A malformed selection from a peer is skipped, not fatal.
    }
  }
  return cursors;
}

export class RemoteCursorLayer {
  readonly #decorations: monaco.editor.IEditorDecorationsCollection;
  readonly #labels = new Map<number, LabelWidget>();

  constructor(
    private readonly monacoApi: Monaco,
    private readonly editor: MonacoEditor,
  ) {
    this.#decorations = editor.createDecorationsCollection();
  }

  render(cursors: readonly ResolvedCursor[]): void {
    const model = this.editor.getModel();
    if (!model) {
      this.clear();
      return;
    }
    const decorations: monaco.editor.IModelDeltaDecoration[] = [];
    const seen = new Set<number>();
    const namesOnLine = new Map<number, string[]>();
    for (const cursor of cursors) {
      const start = model.getPositionAt(Math.min(cursor.anchor, cursor.head));
      const end = model.getPositionAt(Math.max(cursor.anchor, cursor.head));
      const head = model.getPositionAt(cursor.head);
      const color = `tandem-color-${cursor.colorIndex}`;
      if (cursor.anchor !== cursor.head) {
        decorations.push({
          range: new this.monacoApi.Range(start.lineNumber, start.column, end.lineNumber, end.column),
          options: { className: `tandem-remote-selection ${color}`, stickiness: 1 },
        });
      }
      decorations.push({
        range: new this.monacoApi.Range(head.lineNumber, head.column, head.lineNumber, head.column),
        options: { beforeContentClassName: `tandem-remote-caret ${color}`, stickiness: 1 },
      });
      const onLine = namesOnLine.get(head.lineNumber) ?? [];
      namesOnLine.set(head.lineNumber, [...onLine, cursor.name]);
      const margin = labelMargins([...onLine, cursor.name]).at(-1) ?? LABEL_GAP_PX;
      this.#placeLabel(cursor, head, labelAnchor(head, model.getLineMaxColumn(head.lineNumber)), color);
      const label = this.#labels.get(cursor.clientId);
      if (label) label.node.style.marginLeft = `${margin}px`;
      seen.add(cursor.clientId);
    }
    this.#decorations.set(decorations);
    for (const [clientId, widget] of this.#labels) {
      if (seen.has(clientId)) continue;
      clearTimeout(widget.fadeTimer);
      this.editor.removeContentWidget(widget);
      this.#labels.delete(clientId);
    }
  }

  #placeLabel(
    cursor: ResolvedCursor,
    caret: monaco.IPosition,
    position: monaco.IPosition,
    colorClass: string,
  ): void {
    const existing = this.#labels.get(cursor.clientId);
    if (existing) {
      const moved = existing.caret.lineNumber !== caret.lineNumber || existing.caret.column !== caret.column;
      existing.caret = caret;
      existing.position = position;
      existing.node.textContent = cursor.name;
      if (moved) this.#wake(existing, colorClass);
      this.editor.layoutContentWidget(existing);
      return;
    }
    const node = document.createElement('div');
    node.className = `tandem-remote-label ${colorClass}`;
    node.textContent = cursor.name;
    node.dataset.clientId = String(cursor.clientId);
    const exact = this.monacoApi.editor.ContentWidgetPositionPreference.EXACT;
    const widget: LabelWidget = {
      node,
      position,
      caret,
      getId: () => `tandem.remote-label.${cursor.clientId}`,
      getDomNode: () => node,
      getPosition: () => ({ position: widget.position, preference: [exact] }),
      fadeTimer: undefined,
    };
    this.#wake(widget, colorClass);
    this.#labels.set(cursor.clientId, widget);
    this.editor.addContentWidget(widget);
  }

  #wake(widget: LabelWidget, colorClass: string): void {
    widget.node.className = `tandem-remote-label ${colorClass}`;
    clearTimeout(widget.fadeTimer);
    widget.fadeTimer = setTimeout(() => widget.node.classList.add('resting'), LABEL_FADE_MS);
  }

  clear(): void {
    this.#decorations.clear();
    for (const widget of this.#labels.values()) {
      clearTimeout(widget.fadeTimer);
      this.editor.removeContentWidget(widget);
    }
    this.#labels.clear();
  }

  dispose(): void {
    this.clear();
  }
}
