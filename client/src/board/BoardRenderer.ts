// Paints the board on two stacked canvases. The base layer holds every settled shape and is repainted in
// full only when a painted shape changes or the view comes to rest after a pan or zoom (during the gesture
// the old bitmap is moved with a CSS transform); shapes that finish drawing on top are added to it
// incrementally. The overlay is cleared every frame and holds what moves: shapes being drawn or dragged,
// the selection, drafts and other people's pointers.
import type { BoardScene, SceneItem } from './BoardScene.ts';
import { drawItem } from './drawShape.ts';
import { intersects, type Rect, type View, visibleRect } from './viewport.ts';

/** Called with the overlay context in board coordinates, after hot shapes are drawn. */
export type OverlayPainter = (ctx: CanvasRenderingContext2D, view: View) => void;

/** A full repaint waits until the view has been still this long. */
export const VIEW_SETTLE_MS = 120;

function isAbove(a: SceneItem, z: number, id: string): boolean {
  return a.shape.z > z || (a.shape.z === z && a.shape.id > id);
}

export class BoardRenderer {
  #view: View = { x: 0, y: 0, scale: 1 };
  #width = 0;
  #height = 0;
  #dpr = 1;
  #viewDirty = true;
  /** The view the base layer was painted with, and when the view last changed. */
  #paintedView: View | null = null;
  #viewChangedAt = 0;
  /** The topmost shape painted on the base layer: new shapes above it can be added without a repaint. */
  #baseTop: { z: number; id: string } = { z: Number.NEGATIVE_INFINITY, id: '' };
  /** Duration of the last full base repaint in ms, and how many there were (for tests and diagnostics). */
  lastFullPaintMs = 0;
  fullPaints = 0;

  constructor(
    private readonly base: HTMLCanvasElement,
    private readonly overlay: HTMLCanvasElement,
    private readonly scene: BoardScene,
  ) {}

  get view(): View {
    return this.#view;
  }

  setView(view: View): void {
    if (view.x === this.#view.x && view.y === this.#view.y && view.scale === this.#view.scale) return;
    this.#view = view;
    this.#viewDirty = true;
    this.#viewChangedAt = performance.now();
  }

  resize(width: number, height: number, dpr: number): void {
    if (width === this.#width && height === this.#height && dpr === this.#dpr) return;
    this.#width = width;
    this.#height = height;
    this.#dpr = dpr;
    for (const canvas of [this.base, this.overlay]) {
      canvas.width = Math.max(1, Math.round(width * dpr));
      canvas.height = Math.max(1, Math.round(height * dpr));
    }
    // Resizing cleared the bitmap: there is nothing to transform, repaint at once.
    this.#paintedView = null;
    this.#viewDirty = true;
  }

  visible(): Rect {
    return visibleRect(this.#view, this.#width, this.#height);
  }

  /** Paints one frame; returns whether anything is still changing (keep the animation loop running). */
  frame(now: number, paintOverlay: OverlayPainter): boolean {
    const cooled = this.scene.coolDown(now);
    const moving =
      this.#viewDirty && this.#paintedView !== null && now - this.#viewChangedAt < VIEW_SETTLE_MS;
    if (moving) this.#transformBase();
    else if (this.#viewDirty || this.scene.baseStale) this.#paintBase();
    else if (cooled.length) this.#appendToBase(cooled);
    this.#paintOverlay(paintOverlay);
    return this.scene.hot.size > 0 || this.#viewDirty;
  }

  /** Shows the last painted bitmap where the current view would put it (cheap, for pans and zooms). */
  #transformBase(): void {
    const painted = this.#paintedView;
    if (!painted) return;
    const v = this.#view;
    const dx = (painted.x - v.x) * v.scale;
    const dy = (painted.y - v.y) * v.scale;
    this.base.style.transformOrigin = '0 0';
    this.base.style.transform = `translate(${dx}px, ${dy}px) scale(${v.scale / painted.scale})`;
  }

  #context(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2D context unavailable');
    const s = this.#view.scale * this.#dpr;
    ctx.setTransform(s, 0, 0, s, -this.#view.x * s, -this.#view.y * s);
    return ctx;
  }

  #clear(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2D context unavailable');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return this.#context(canvas);
  }

  #paintBase(): void {
    const started = performance.now();
    const ctx = this.#clear(this.base);
    const visible = this.visible();
    const painted: string[] = [];
    let top = { z: Number.NEGATIVE_INFINITY, id: '' };
    for (const item of this.scene.sorted()) {
      if (this.scene.hot.has(item.shape.id)) continue;
      painted.push(item.shape.id);
      top = { z: item.shape.z, id: item.shape.id };
      if (intersects(item.bounds, visible)) drawItem(ctx, item);
    }
    this.scene.notePainted(painted, true);
    this.scene.baseStale = false;
    this.#viewDirty = false;
    this.#paintedView = this.#view;
    this.base.style.transform = '';
    this.#baseTop = top;
    this.lastFullPaintMs = performance.now() - started;
    this.fullPaints++;
  }

  #appendToBase(ids: readonly string[]): void {
    const items = ids
      .map((id) => this.scene.items.get(id))
      .filter((item): item is SceneItem => item !== undefined)
      .sort((a, b) => a.shape.z - b.shape.z || (a.shape.id < b.shape.id ? -1 : 1));
    if (items.length === 0) return;
    // Anything cooling below the top of the base layer would paint over shapes above it: repaint instead.
    if (!items.every((item) => isAbove(item, this.#baseTop.z, this.#baseTop.id))) {
      this.#paintBase();
      return;
    }
    const ctx = this.#context(this.base);
    const visible = this.visible();
    for (const item of items) if (intersects(item.bounds, visible)) drawItem(ctx, item);
    this.scene.notePainted(
      items.map((i) => i.shape.id),
      false,
    );
    const last = items[items.length - 1]!;
    this.#baseTop = { z: last.shape.z, id: last.shape.id };
  }

  #paintOverlay(paint: OverlayPainter): void {
    const ctx = this.#clear(this.overlay);
    const visible = this.visible();
    const hot = [...this.scene.hot.keys()]
      .map((id) => this.scene.items.get(id))
      .filter((item): item is SceneItem => item !== undefined)
      .sort((a, b) => a.shape.z - b.shape.z);
    for (const item of hot) if (intersects(item.bounds, visible)) drawItem(ctx, item);
    paint(ctx, this.#view);
  }
}
