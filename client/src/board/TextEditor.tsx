// A textarea laid over the board to type a text shape or a sticky note; commits on blur or Ctrl+Enter.
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
  onCancel,
}: {
  request: TextEditRequest;
  onCommit(text: string): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useState(request.initial);
  const done = useRef(false);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
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
          done.current = true;
          onCancel();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || request.kind === 'text') && !e.shiftKey) {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}
