// Owns the board's non-React machinery for one document: scene, renderer and tool controller, the canvas
// size (ResizeObserver) and the animation-frame loop that repaints only when something changed.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { BoardRenderer } from './BoardRenderer.ts';
import { BoardScene } from './BoardScene.ts';
import { contentBounds } from './exportBoard.ts';
import { BoardController, type ControllerHost } from './tools.ts';
import { fitView, INITIAL_VIEW, type View } from './viewport.ts';

export interface BoardEngineOptions {
  doc: Y.Doc;
  origin: object;
  userId: string;
  stopCapturing(): void;
  editText: ControllerHost['editText'];
  paintOverlay(
    ctx: CanvasRenderingContext2D,
    view: View,
    controller: BoardController,
    scene: BoardScene,
  ): void;
  onSelection(size: number): void;
}

export function useBoardEngine(options: BoardEngineOptions) {
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const stageRef = useRef<HTMLDivElement>(null);
  const baseRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const parts = useRef<{ scene: BoardScene; renderer: BoardRenderer; controller: BoardController } | null>(
    null,
  );
  const viewRef = useRef<View>(INITIAL_VIEW);
  const sizeRef = useRef({ width: 0, height: 0 });
  const frameRef = useRef<number | null>(null);
  const [zoom, setZoom] = useState(1);

  const requestFrame = useCallback(() => {
    if (frameRef.current !== null) return;
    frameRef.current = requestAnimationFrame((now) => {
      frameRef.current = null;
      const p = parts.current;
      if (!p) return;
      p.renderer.setView(viewRef.current);
      const busy = p.renderer.frame(now, (ctx, view) =>
        optionsRef.current.paintOverlay(ctx, view, p.controller, p.scene),
      );
      const stage = stageRef.current;
      if (stage) {
        // Exposed for tests and for anyone checking rendering cost in devtools.
        stage.dataset.fullPaints = String(p.renderer.fullPaints);
        stage.dataset.lastPaintMs = p.renderer.lastFullPaintMs.toFixed(1);
        stage.dataset.hotShapes = String(p.scene.hot.size);
      }
      if (busy) requestFrame();
    });
  }, []);

  const { doc, origin, userId } = options;
  useEffect(() => {
    const stage = stageRef.current;
    const base = baseRef.current;
    const overlay = overlayRef.current;
    if (!stage || !base || !overlay) return;
    const scene = new BoardScene(doc);
    const renderer = new BoardRenderer(base, overlay, scene);
    const controller = new BoardController({
      doc,
      scene,
      origin,
      userId,
      unitsPerPixel: () => 1 / viewRef.current.scale,
      editText: (req) => optionsRef.current.editText(req),
      changed: () => {
        optionsRef.current.onSelection(controller.selection.size);
        requestFrame();
      },
      stopCapturing: () => optionsRef.current.stopCapturing(),
    });
    parts.current = { scene, renderer, controller };
    const unsubscribe = scene.subscribe(() => {
      for (const id of controller.selection) if (!scene.items.has(id)) controller.selection.delete(id);
      stage.dataset.shapeCount = String(scene.items.size);
      requestFrame();
    });
    stage.dataset.shapeCount = String(scene.items.size);
    const observer = new ResizeObserver(() => {
      const rect = stage.getBoundingClientRect();
      sizeRef.current = { width: rect.width, height: rect.height };
      renderer.resize(rect.width, rect.height, window.devicePixelRatio || 1);
      requestFrame();
    });
    observer.observe(stage);
    return () => {
      observer.disconnect();
      unsubscribe();
      scene.destroy();
      if (frameRef.current !== null) cancelAnimationFrame(frameRef.current);
      frameRef.current = null;
      parts.current = null;
    };
  }, [doc, origin, userId, requestFrame]);

  const setView = useCallback(
    (view: View) => {
      viewRef.current = view;
      setZoom(view.scale);
      requestFrame();
    },
    [requestFrame],
  );

  return useMemo(
    () => ({
      stageRef,
      baseRef,
      overlayRef,
      zoom,
      requestFrame,
      setView,
      view: () => viewRef.current,
      size: () => sizeRef.current,
      scene: () => parts.current?.scene ?? null,
      controller: () => parts.current?.controller ?? null,
      fit: () => {
        const scene = parts.current?.scene;
        if (!scene) return;
        const { width, height } = sizeRef.current;
        setView(scene.items.size ? fitView(contentBounds(scene.sorted()), width, height) : INITIAL_VIEW);
      },
    }),
    [zoom, requestFrame, setView],
  );
}
