// The whiteboard as it was: the board's own scene and renderer over the replayed Y.Doc, read-only (no tools),
// fitted to its content whenever the document is reloaded.
import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { BoardRenderer } from '../board/BoardRenderer.ts';
import { BoardScene } from '../board/BoardScene.ts';
import { contentBounds } from '../board/exportBoard.ts';
import { fitView, INITIAL_VIEW } from '../board/viewport.ts';

export function ReplayBoard({ doc }: { doc: Y.Doc }) {
  const stageRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const stage = stageRef.current;
    const base = baseRef.current;
    const overlay = overlayRef.current;
    if (!stage || !base || !overlay) return;
    const scene = new BoardScene(doc);
    const renderer = new BoardRenderer(base, overlay, scene);
    let frame: number | null = null;
    let fitted = false;
    const paint = () => {
      if (frame !== null) return;
      frame = requestAnimationFrame((now) => {
        frame = null;
        const rect = stage.getBoundingClientRect();
        renderer.resize(rect.width, rect.height, window.devicePixelRatio || 1);
        if (!fitted && scene.items.size > 0) {
          renderer.setView(fitView(contentBounds(scene.sorted()), rect.width, rect.height));
          fitted = true;
        } else if (!fitted) renderer.setView(INITIAL_VIEW);
        stage.dataset.shapeCount = String(scene.items.size);
        if (renderer.frame(now, () => {})) paint();
      });
    };
    const unsubscribe = scene.subscribe(paint);
    const observer = new ResizeObserver(() => {
      fitted = false;
      paint();
    });
    observer.observe(stage);
    paint();
    return () => {
      observer.disconnect();
      unsubscribe();
      scene.destroy();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [doc]);

  return (
    <div className="replay-board board-stage" ref={stageRef} data-testid="replay-board">
      <canvas ref={baseRef} className="board-canvas" />
      <canvas ref={overlayRef} className="board-canvas board-overlay" />
    </div>
  );
}
