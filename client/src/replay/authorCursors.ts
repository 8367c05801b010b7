// Where each author last edited, up to the replay's time: after a seek from "who wrote this" as of then (the
// end of the line each author wrote last), then exactly, keystroke by keystroke, from the updates played. Kept
// as Yjs relative positions, so later edits by others move them as they move the text.
import { type BlameReply, codeFilesMap, FILE_FIELDS } from '@tandem/shared';
import * as Y from 'yjs';
import type { ResolvedCursor } from '../editor/remoteCursors.ts';
import { colorIndexFor } from '../presence/colors.ts';

interface AuthorMark {
  fileId: string;
  position: Y.RelativePosition;
  at: number;
}

export class AuthorCursors {
  readonly #marks = new Map<string, AuthorMark>();
  #detach: (() => void) | null = null;
  #ids = new Map<string, number>();

  constructor(private readonly nameOf: (userId: string) => string) {}

  /** Starts over on a freshly loaded doc; `author()` says who wrote the update being applied. */
  watch(doc: Y.Doc, author: () => { userId: string | null; ts: number } | null): void {
    this.#detach?.();
    this.#marks.clear();
    const files = codeFilesMap(doc);
    const onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const who = author();
      if (!who?.userId) return;
      for (const event of events) {
        if (!(event.target instanceof Y.Text)) continue;
        const fileId = event.path[0];
        if (typeof fileId !== 'string' || event.path[1] !== FILE_FIELDS.text) continue;
        const index = endOfChange(event.delta);
        if (index === null) continue;
        this.#marks.set(who.userId, {
          fileId,
          position: Y.createRelativePositionFromTypeIndex(event.target, index),
          at: who.ts,
        });
      }
    };
    files.observeDeep(onEvents);
    this.#detach = () => files.unobserveDeep(onEvents);
  }

  /** Authors not yet placed by a played edit go to the end of the line they wrote last (as of the blame). */
  seedFromBlame(fileId: string, text: Y.Text, blame: BlameReply): void {
    const last = new Map<string, { line: number; ts: number }>();
    for (const { line, userId, ts } of blame.lines) {
      if (!userId || ts === null) continue;
      const known = last.get(userId);
      if (!known || ts >= known.ts) last.set(userId, { line, ts });
    }
    const lines = text.toString().split('\n');
    for (const [userId, { line, ts }] of last) {
      const mark = this.#marks.get(userId);
      if (mark && mark.at >= ts) continue;
      let offset = 0;
      for (let i = 0; i < line && i < lines.length; i++)
        offset += (lines[i]?.length ?? 0) + (i < line - 1 ? 1 : 0);
      this.#marks.set(userId, {
        fileId,
        position: Y.createRelativePositionFromTypeIndex(text, offset),
        at: ts,
      });
    }
  }

  /** The authors' cursors in one file, ready for RemoteCursorLayer. */
  resolve(fileId: string, text: Y.Text): ResolvedCursor[] {
    const doc = text.doc;
    if (!doc) return [];
    const cursors: ResolvedCursor[] = [];
    for (const [userId, mark] of this.#marks) {
      if (mark.fileId !== fileId) continue;
      const absolute = Y.createAbsolutePositionFromRelativePosition(mark.position, doc);
      if (!absolute || absolute.type !== text) continue;
      cursors.push({
        clientId: this.#idOf(userId),
        name: this.nameOf(userId),
        colorIndex: colorIndexFor(userId),
        anchor: absolute.index,
        head: absolute.index,
      });
    }
    return cursors;
  }

  destroy(): void {
    this.#detach?.();
    this.#detach = null;
    this.#marks.clear();
  }

  #idOf(userId: string): number {
    let id = this.#ids.get(userId);
    if (id === undefined) {
      id = this.#ids.size + 1;
      this.#ids.set(userId, id);
    }
    return id;
  }
}

/** The offset just after a text change (after what was inserted, or where text was deleted). */
export function endOfChange(
  delta: readonly { insert?: unknown; retain?: number; delete?: number }[],
): number | null {
  let index = 0;
  let end: number | null = null;
  for (const op of delta) {
    if (op.retain !== undefined) index += op.retain;
    else if (op.insert !== undefined) {
      index += typeof op.insert === 'string' ? op.insert.length : 1;
      end = index;
    } else if (op.delete !== undefined) end = index;
  }
  return end;
}
