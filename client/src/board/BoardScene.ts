// The whiteboard's in-memory scene: every shape read once from the Y.Map, with its bounds and a cached
// Path2D, kept up to date incrementally from Yjs events. It also tracks which shapes are "hot" (changing
// right now: a stroke being drawn, a shape being dragged) so the renderer can keep them off the cached base
// layer and avoid repainting thousands of strokes per frame.
import { boardShapesMap, readShape, type Shape } from '@tandem/shared';
import * as Y from 'yjs';
import { shapeBounds } from './geometry.ts';
import type { Rect } from './viewport.ts';

export interface SceneItem {
  shape: Shape;
  bounds: Rect;
  /** Built lazily by the renderer; dropped whenever the shape changes. */
  path: Path2D | null;
}

/** How long a shape stays hot after its last change. */
export const HOT_MS = 300;

export type SceneChange = { full: boolean };

export class BoardScene {
  readonly items = new Map<string, SceneItem>();
  /** Shape id -> time of its last change, for shapes currently changing. */
  readonly hot = new Map<string, number>();
  #sorted: SceneItem[] | null = null;
  /** Set when something already painted on the base layer changed or disappeared. */
  baseStale = true;
  readonly #map: Y.Map<Y.Map<unknown>>;
  readonly #listeners = new Set<() => void>();

  constructor(doc: Y.Doc) {
    this.#map = boardShapesMap(doc);
    for (const [id, entry] of this.#map) this.#read(id, entry);
    this.#map.observeDeep(this.#onEvents);
  }

  /** Items in paint order (z, then id). */
  sorted(): SceneItem[] {
    this.#sorted ??= [...this.items.values()].sort(
      (a, b) => a.shape.z - b.shape.z || (a.shape.id < b.shape.id ? -1 : 1),
    );
    return this.#sorted;
  }

  maxZ(): number {
    const list = this.sorted();
    return list.length ? list[list.length - 1]!.shape.z : 0;
  }

  /** Topmost first. */
  *topDown(): Generator<SceneItem> {
    const list = this.sorted();
    for (let i = list.length - 1; i >= 0; i--) yield list[i]!;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hot shapes whose last change is older than HOT_MS become cold; returns them. */
  coolDown(now: number): string[] {
    const cooled: string[] = [];
    for (const [id, at] of this.hot) {
      if (now - at < HOT_MS) continue;
      this.hot.delete(id);
      cooled.push(id);
    }
    return cooled;
  }

  markHot(id: string, now = performance.now()): void {
    // A shape that was painted on the base layer must be repainted without it.
    if (!this.hot.has(id) && this.items.has(id)) this.baseStale ||= this.#onBase.has(id);
    this.hot.set(id, now);
  }

  /** Shapes the renderer has painted on the base layer (so it knows when that layer is stale). */
  readonly #onBase = new Set<string>();

  notePainted(ids: Iterable<string>, reset: boolean): void {
    if (reset) this.#onBase.clear();
    for (const id of ids) this.#onBase.add(id);
  }

  destroy(): void {
    this.#map.unobserveDeep(this.#onEvents);
    this.#listeners.clear();
  }

  #read(id: string, entry: unknown): void {
    const shape = entry instanceof Y.Map ? readShape(id, entry) : null;
    if (!shape) {
      this.items.delete(id);
      return;
    }
    this.items.set(id, { shape, bounds: shapeBounds(shape), path: null });
  }

  readonly #onEvents = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const now = performance.now();
    const changed = new Set<string>();
    for (const event of events) {
      if (event.target === this.#map) {
        for (const key of event.changes.keys.keys()) changed.add(key);
        continue;
      }
      // A nested change: find the shape entry (direct child of the map) it belongs to.
      const id = event.path[0];
      if (typeof id === 'string') changed.add(id);
    }
    for (const id of changed) {
      const existed = this.items.has(id);
      this.#read(id, this.#map.get(id));
      if (!this.items.has(id)) {
        this.hot.delete(id);
        if (this.#onBase.delete(id)) this.baseStale = true;
      } else if (existed || this.items.get(id)?.shape.kind === 'pen') this.markHot(id, now);
      else this.markHot(id, now - HOT_MS); // new finished shapes (rect, text...) go straight to the base layer
    }
    this.#sorted = null;
    for (const listener of this.#listeners) listener();
  };
}
