// A textarea laid over the board to type a text shape or a sticky note; commits on blur, Escape or Ctrl+Enter
// (Enter alone for a text). Escape keeps what was typed, as in other whiteboards: leaving the editor never loses it.
import { MAX_SHAPE_TEXT_LENGTH } from '@tandem/shared';
import { useEffect, useRef, useState } from 'react';
import type { Point } from './viewport.ts';

export interface TextEditRequest {
  id: string | null;
  at: Point;
  kind: 'text' | 'sticky';
  initial: string;
  /** Screen position and size of the editor. */
  screen: { left: number; top: number; width: number; height: number; fontSize: number };
}

export function TextEditor({
  request,
  onCommit,
}: {
  request: TextEditRequest;
  onCommit(text: string): void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(request.initial);
  const done = useRef(false);
  useEffect(() => {
    // After the pointer press that opened the editor has ended: its default action focuses the board, which
    // would take the focus straight back (the keys typed would then be the board's tool shortcuts).
    const frame = requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.select();
    });
    return () => cancelAnimationFrame(frame);
  }, []);
  const commit = () => {
    if (done.current) return;
    done.current = true;
    onCommit(value);
  };
  const { left, top, width, height, fontSize } = request.screen;
  return (
    <textarea
      ref={ref}
      className={`board-text-editor board-text-${request.kind}`}
      style={{ left, top, width, height, fontSize }}
      value={value}
      maxLength={MAX_SHAPE_TEXT_LENGTH}
      aria-label={request.kind === 'sticky' ? 'Sticky note text' : 'Text'}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          commit();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || request.kind === 'text') && !e.shiftKey) {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}
