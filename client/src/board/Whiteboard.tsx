// The shared whiteboard on a class's `board` document: canvas rendering (two layers), pointer tools,
// pan/zoom, per-user undo, remote pointers, text editing, export, and a read-only mode.
import { addShape, updateShapes } from '@tandem/shared';
import {
  type KeyboardEvent,
  type PointerEvent,
  useEffect,
  useMemo,
  useRef,
  useState,
  type WheelEvent,
} from 'react';
import type { DocHandle } from '../collab/DocHandle.ts';
import { setPresence, useDocStatus, usePeers } from '../collab/useCollab.ts';
import { newId } from '../util/ids.ts';
import { BoardToolbar } from './BoardToolbar.tsx';
import { measureText } from './drawShape.ts';
import { boardToPng, boardToSvg, download } from './exportBoard.ts';
import { textFontSize } from './geometry.ts';
import { paintMarquee, paintPointers, paintSelection } from './overlayPainters.ts';
import { TextEditor, type TextEditRequest } from './TextEditor.tsx';
import { TOOLS, type Tool, type ToolStyle } from './tools.ts';
import { useBoardEngine } from './useBoardEngine.ts';
import { useBoardUndo } from './useBoardUndo.ts';
import { useTouchPinch } from './useTouchPinch.ts';
import { type Point, panBy, toBoard, toScreen, zoomAt } from './viewport.ts';

const KEY_TOOLS: Record<string, Tool> = {
  v: 'select',
  h: 'hand',
  p: 'pen',
  r: 'rect',
  o: 'ellipse',
  l: 'line',
  a: 'arrow',
  t: 'text',
  s: 'sticky',
  e: 'eraser',
};
const POINTER_PUBLISH_MS = 50;

export function Whiteboard({ handle, userId }: { handle: DocHandle; userId: string }) {
  const status = useDocStatus(handle);
  const writable = status.scope === 'read-write';
  const peers = usePeers(handle.awareness);
  const origin = useMemo(() => ({ board: handle.name }), [handle]);
  const undo = useBoardUndo(handle.doc, origin);
  const [tool, setTool] = useState<Tool>('pen');
  const [style, setStyle] = useState<ToolStyle>({ color: '#1f2937', width: 4 });
  const [editing, setEditing] = useState<TextEditRequest | null>(null);
  const [hasSelection, setHasSelection] = useState(false);
  const activeTool: Tool = writable ? tool : 'hand';
  const panRef = useRef<{ last: Point } | null>(null);
  const spaceRef = useRef(false);

  const engine = useBoardEngine({
    doc: handle.doc,
    origin,
    userId,
    stopCapturing: undo.stopCapturing,
    editText: (req) => {
      const view = engine.view();
      const shape = req.id ? engine.scene()?.items.get(req.id)?.shape : undefined;
      const at = toScreen(view, req.at);
      const fontSize = textFontSize({ width: shape?.width ?? style.width }) * view.scale;
      setEditing({
        ...req,
        initial: shape?.text ?? '',
        screen: {
          left: at.x,
          top: at.y,
          width: Math.max(160, (shape?.w ?? 240) * view.scale),
          height: Math.max(fontSize * 2.5, (shape?.kind === 'sticky' ? shape.h : 0) * view.scale),
          fontSize,
        },
      });
    },
    paintOverlay: (ctx, view, controller, scene) => {
      paintSelection(ctx, view, scene, controller.selection);
      const marquee = controller.marquee;
      if (marquee) paintMarquee(ctx, view, marquee);
      paintPointers(ctx, view, peersRef.current);
    },
    onSelection: (size) => setHasSelection(size > 0),
  });
  const peersRef = useRef(peers);
  peersRef.current = peers;
  // biome-ignore lint/correctness/useExhaustiveDependencies: repaint remote pointers when peers change
  useEffect(() => engine.requestFrame(), [peers, engine]);

  useEffect(() => {
    const c = engine.controller();
    if (c) {
      c.tool = activeTool;
      c.style = style;
    }
  }, [activeTool, style, engine]);

  let lastPublish = 0;
  const publishPointer = (p: Point | null) => {
    const now = performance.now();
    if (p && now - lastPublish < POINTER_PUBLISH_MS) return;
    lastPublish = now;
    setPresence(handle.awareness, { pointer: p ? { x: Math.round(p.x), y: Math.round(p.y) } : null });
  };

  const boardPoint = (e: PointerEvent | WheelEvent): Point => {
    const rect = e.currentTarget.getBoundingClientRect();
    return toBoard(engine.view(), { x: e.clientX - rect.left, y: e.clientY - rect.top });
  };

  const pinch = useTouchPinch({
    view: () => engine.view(),
    setView: (v) => engine.setView(v),
    cancelDrawing: () => {
      panRef.current = null;
      engine.controller()?.cancel();
    },
  });

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (editing) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    if (pinch.down(e)) return;
    if (activeTool === 'hand' || e.button === 1 || spaceRef.current) {
      panRef.current = { last: { x: e.clientX, y: e.clientY } };
      return;
    }
    if (e.button !== 0) return;
    engine.controller()?.down(boardPoint(e), { shift: e.shiftKey, double: e.detail >= 2 });
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (pinch.move(e)) return;
    const p = boardPoint(e);
    publishPointer(p);
    if (panRef.current) {
      engine.setView(
        panBy(engine.view(), e.clientX - panRef.current.last.x, e.clientY - panRef.current.last.y),
      );
      panRef.current.last = { x: e.clientX, y: e.clientY };
      return;
    }
    engine.controller()?.move(p);
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    if (pinch.up(e)) return;
    if (panRef.current) panRef.current = null;
    else engine.controller()?.up(boardPoint(e));
  };
  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const anchor = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    if (e.ctrlKey || e.metaKey) engine.setView(zoomAt(engine.view(), anchor, Math.exp(-e.deltaY / 300)));
    else engine.setView(panBy(engine.view(), -e.deltaX, -e.deltaY));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (editing || e.target !== e.currentTarget) return;
    const key = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (key === ' ') spaceRef.current = true;
    else if (mod && key === 'z' && writable) (e.shiftKey ? undo.redo : undo.undo)();
    else if (mod && key === 'y' && writable) undo.redo();
    else if ((key === 'delete' || key === 'backspace') && writable) engine.controller()?.deleteSelection();
    else if (!mod && KEY_TOOLS[key] && (writable || KEY_TOOLS[key] === 'hand')) setTool(KEY_TOOLS[key]);
    else return;
    e.preventDefault();
  };

  const commitText = (text: string) => {
    const req = editing;
    setEditing(null);
    if (!req) return;
    const ctx = document.createElement('canvas').getContext('2d');
    if (req.kind === 'text') {
      if (!ctx || !text.trim()) return;
      const size = measureText(ctx, text, style.width);
      if (req.id) return updateShapes(handle.doc, new Map([[req.id, { text, ...size }]]), origin);
      const z = (engine.scene()?.maxZ() ?? 0) + 1;
      addShape(
        handle.doc,
        {
          id: newId(),
          kind: 'text',
          x: req.at.x,
          y: req.at.y,
          ...size,
          color: style.color,
          width: style.width,
          z,
          by: userId,
          text,
        },
        origin,
      );
    } else if (req.id) updateShapes(handle.doc, new Map([[req.id, { text }]]), origin);
  };

  const zoom = (direction: 'in' | 'out' | 'fit') => {
    if (direction === 'fit') return engine.fit();
    const size = engine.size();
    engine.setView(
      zoomAt(engine.view(), { x: size.width / 2, y: size.height / 2 }, direction === 'in' ? 1.25 : 0.8),
    );
  };

  const exportAs = async (format: 'png' | 'svg') => {
    const scene = engine.scene();
    if (!scene) return;
    if (format === 'svg')
      download(new Blob([boardToSvg(scene)], { type: 'image/svg+xml' }), 'whiteboard.svg');
    else download(await boardToPng(scene), 'whiteboard.png');
  };

  return (
    <div
      className="whiteboard"
      role="application"
      aria-label="Whiteboard (keyboard shortcuts: V, H, P, R, O, L, A, T, S, E)"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region takes keyboard shortcuts
      tabIndex={0}
      onKeyDown={onKeyDown}
      onKeyUp={(e) => {
        if (e.key === ' ') spaceRef.current = false;
      }}
    >
      <BoardToolbar
        tools={writable ? TOOLS : ['hand']}
        tool={activeTool}
        style={style}
        zoom={engine.zoom}
        canUndo={undo.canUndo}
        canRedo={undo.canRedo}
        hasSelection={hasSelection}
        onTool={setTool}
        onStyle={setStyle}
        onUndo={undo.undo}
        onRedo={undo.redo}
        onDelete={() => engine.controller()?.deleteSelection()}
        onZoom={zoom}
        onExport={(f) => void exportAs(f)}
      />
      {!writable && (
        <div className="banner banner-readonly" role="status" data-testid="board-readonly">
          {status.scope === 'pending'
            ? 'Connecting to the whiteboard…'
            : 'Read-only: you can look, pan and zoom, but not draw.'}
        </div>
      )}
      <div className="board-stage" ref={engine.stageRef} data-testid="board-stage">
        <canvas ref={engine.baseRef} className="board-canvas" />
        <canvas
          ref={engine.overlayRef}
          className={`board-canvas board-overlay tool-${activeTool}`}
          aria-label="Whiteboard"
          data-testid="board-canvas"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onPointerLeave={() => publishPointer(null)}
          onWheel={onWheel}
        />
        {editing && <TextEditor request={editing} onCommit={commitText} />}
      </div>
    </div>
  );
}
