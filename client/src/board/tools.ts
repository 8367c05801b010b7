// Turns pointer gestures on the board into document changes, one tool at a time. Board coordinates in,
// Yjs writes out (always with this client's origin, so undo sees only our own changes).
import { addShape, deleteShapes, type ShapePatch, updateShapes } from '@tandem/shared';
import type * as Y from 'yjs';
import { newId } from '../util/ids.ts';
import type { BoardScene } from './BoardScene.ts';
import { hitShape, rectFromPoints } from './geometry.ts';
import { streamlinePoint } from './smoothing.ts';
import { intersects, type Point, type Rect } from './viewport.ts';

export const TOOLS = [
  'select',
  'hand',
  'pen',
  'rect',
  'ellipse',
  'line',
  'arrow',
  'text',
  'sticky',
  'eraser',
] as const;
export type Tool = (typeof TOOLS)[number];
export const DRAWING_TOOLS: readonly Tool[] = [
  'pen',
  'rect',
  'ellipse',
  'line',
  'arrow',
  'text',
  'sticky',
  'eraser',
];

export interface ToolStyle {
  color: string;
  width: number;
}

/** Writes while dragging are batched to this interval (live for others, gentle on the server). */
export const FLUSH_MS = 40;
const STICKY_SIZE = { w: 200, h: 140 };

type Drag =
  | {
      kind: 'pen';
      id: string;
      points: Y.Array<number>;
      origin: Point;
      last: readonly [number, number];
      pending: number[];
    }
  | { kind: 'shape'; id: string; start: Point; current: Point }
  | { kind: 'move'; start: Point; current: Point; origins: Map<string, Point> }
  | { kind: 'marquee'; start: Point; current: Point }
  | { kind: 'erase' }
  | null;

export interface ControllerHost {
  doc: Y.Doc;
  scene: BoardScene;
  origin: object;
  userId: string;
  /** Board units per screen pixel at the current zoom (for hit tolerances). */
  unitsPerPixel(): number;
  editText(request: { id: string | null; at: Point; kind: 'text' | 'sticky' }): void;
  changed(): void;
  stopCapturing(): void;
}

export class BoardController {
  tool: Tool = 'pen';
  style: ToolStyle = { color: '#1f2937', width: 3 };
  readonly selection = new Set<string>();
  #drag: Drag = null;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ControllerHost) {}

  get marquee(): Rect | null {
    return this.#drag?.kind === 'marquee' ? rectFromPoints(this.#drag.start, this.#drag.current) : null;
  }

  /** The topmost shape under a point. */
  pick(p: Point): string | null {
    const tolerance = 6 * this.host.unitsPerPixel();
    for (const item of this.host.scene.topDown()) {
      const b = item.bounds;
      if (
        p.x < b.minX - tolerance ||
        p.x > b.maxX + tolerance ||
        p.y < b.minY - tolerance ||
        p.y > b.maxY + tolerance
      )
        continue;
      if (hitShape(item.shape, p, tolerance)) return item.shape.id;
    }
    return null;
  }

  down(p: Point, opts: { shift: boolean; double: boolean }): void {
    this.host.stopCapturing();
    const { doc, origin, userId } = this.host;
    const base = { ...this.style, z: this.host.scene.maxZ() + 1, by: userId, text: '' };
    switch (this.tool) {
      case 'hand':
        return;
      case 'pen': {
        const id = newId();
        const points = addShape(
          doc,
          { id, kind: 'pen', x: p.x, y: p.y, w: 0, h: 0, points: [0, 0], ...base },
          origin,
        );
        if (points) this.#drag = { kind: 'pen', id, points, origin: p, last: [0, 0], pending: [] };
        return;
      }
      case 'rect':
      case 'ellipse':
      case 'line':
      case 'arrow': {
        const id = newId();
        addShape(doc, { id, kind: this.tool, x: p.x, y: p.y, w: 0, h: 0, ...base }, origin);
        this.#drag = { kind: 'shape', id, start: p, current: p };
        return;
      }
      case 'text':
        this.host.editText({ id: null, at: p, kind: 'text' });
        return;
      case 'sticky': {
        const id = newId();
        addShape(doc, { id, kind: 'sticky', x: p.x, y: p.y, ...STICKY_SIZE, ...base, width: 3 }, origin);
        this.host.editText({ id, at: p, kind: 'sticky' });
        return;
      }
      case 'eraser':
        this.#drag = { kind: 'erase' };
        this.#erase(p);
        return;
      case 'select':
        this.#selectDown(p, opts);
        return;
      default: {
        const unreachable: never = this.tool;
        throw new Error(`unknown tool ${String(unreachable)}`);
      }
    }
  }

  #selectDown(p: Point, { shift, double }: { shift: boolean; double: boolean }): void {
    const hit = this.pick(p);
    if (hit && double) {
      const shape = this.host.scene.items.get(hit)?.shape;
      if (shape && (shape.kind === 'text' || shape.kind === 'sticky')) {
        this.host.editText({ id: hit, at: { x: shape.x, y: shape.y }, kind: shape.kind });
        return;
      }
    }
    if (!hit) {
      if (!shift) this.selection.clear();
      this.#drag = { kind: 'marquee', start: p, current: p };
      this.host.changed();
      return;
    }
    if (shift) this.selection.has(hit) ? this.selection.delete(hit) : this.selection.add(hit);
    else if (!this.selection.has(hit)) {
      this.selection.clear();
      this.selection.add(hit);
    }
    const origins = new Map<string, Point>();
    for (const id of this.selection) {
      const shape = this.host.scene.items.get(id)?.shape;
      if (shape) origins.set(id, { x: shape.x, y: shape.y });
    }
    this.#drag = { kind: 'move', start: p, current: p, origins };
    this.host.changed();
  }

  move(p: Point): void {
    const drag = this.#drag;
    if (!drag) return;
    switch (drag.kind) {
      case 'pen': {
        const rel: [number, number] = [p.x - drag.origin.x, p.y - drag.origin.y];
        const smoothed = streamlinePoint(drag.last, rel, 0.45);
        const min = 1.5 * this.host.unitsPerPixel();
        if (Math.hypot(smoothed[0] - drag.last[0], smoothed[1] - drag.last[1]) < min) return;
        drag.last = smoothed;
        drag.pending.push(Math.round(smoothed[0] * 100) / 100, Math.round(smoothed[1] * 100) / 100);
        this.#scheduleFlush();
        return;
      }
      case 'shape':
      case 'move':
        drag.current = p;
        this.#scheduleFlush();
        return;
      case 'marquee':
        drag.current = p;
        this.host.changed();
        return;
      case 'erase':
        this.#erase(p);
        return;
      default: {
        const unreachable: never = drag;
        throw new Error(`unknown drag ${String(unreachable)}`);
      }
    }
  }

  up(p: Point): void {
    const drag = this.#drag;
    if (!drag) return;
    this.move(p);
    this.#flush();
    if (drag.kind === 'marquee') {
      const area = rectFromPoints(drag.start, drag.current);
      for (const item of this.host.scene.items.values())
        if (intersects(item.bounds, area)) this.selection.add(item.shape.id);
    }
    if (drag.kind === 'shape') {
      const shape = this.host.scene.items.get(drag.id)?.shape;
      // A click without a drag leaves nothing behind.
      if (shape && Math.hypot(shape.w, shape.h) < 2) deleteShapes(this.host.doc, [drag.id], this.host.origin);
    }
    this.#drag = null;
    this.host.changed();
  }

  /** Abandons the gesture in progress, removing a shape it had started (e.g. when a pinch begins). */
  cancel(): void {
    const drag = this.#drag;
    this.#drag = null;
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (drag?.kind === 'pen' || drag?.kind === 'shape')
      deleteShapes(this.host.doc, [drag.id], this.host.origin);
    this.host.changed();
  }

  deleteSelection(): void {
    if (this.selection.size === 0) return;
    this.host.stopCapturing();
    deleteShapes(this.host.doc, [...this.selection], this.host.origin);
    this.selection.clear();
    this.host.changed();
  }

  #erase(p: Point): void {
    const hit = this.pick(p);
    if (hit) deleteShapes(this.host.doc, [hit], this.host.origin);
  }

  #scheduleFlush(): void {
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const drag = this.#drag;
    if (!drag) return;
    if (drag.kind === 'pen' && drag.pending.length) {
      const pending = drag.pending;
      drag.pending = [];
      this.host.doc.transact(() => drag.points.push(pending), this.host.origin);
    } else if (drag.kind === 'shape') {
      const patch: ShapePatch = { w: drag.current.x - drag.start.x, h: drag.current.y - drag.start.y };
      updateShapes(this.host.doc, new Map([[drag.id, patch]]), this.host.origin);
    } else if (drag.kind === 'move') {
      const dx = drag.current.x - drag.start.x;
      const dy = drag.current.y - drag.start.y;
      const patches = new Map<string, ShapePatch>();
      for (const [id, o] of drag.origins) patches.set(id, { x: o.x + dx, y: o.y + dy });
      updateShapes(this.host.doc, patches, this.host.origin);
    }
  }
}
