// Pan and zoom of the whiteboard: a view maps board coordinates to screen pixels (screen = (board - origin)
// * scale). Pure functions so the math is tested without a canvas.

export interface View {
  /** Board coordinate shown at the screen's top-left corner. */
  x: number;
  y: number;
  scale: number;
}

export interface Point {
  x: number;
  y: number;
}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 8;
export const INITIAL_VIEW: View = Object.freeze({ x: 0, y: 0, scale: 1 });

export function toBoard(view: View, screen: Point): Point {
  return { x: view.x + screen.x / view.scale, y: view.y + screen.y / view.scale };
}

export function toScreen(view: View, board: Point): Point {
  return { x: (board.x - view.x) * view.scale, y: (board.y - view.y) * view.scale };
}

/** Zooms by `factor`, keeping the board point under `anchor` (a screen point) where it is. */
export function zoomAt(view: View, anchor: Point, factor: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, view.scale * factor));
  const fixed = toBoard(view, anchor);
  return { x: fixed.x - anchor.x / scale, y: fixed.y - anchor.y / scale, scale };
}

/** Moves the view by a screen-pixel drag. */
export function panBy(view: View, dxScreen: number, dyScreen: number): View {
  return { ...view, x: view.x - dxScreen / view.scale, y: view.y - dyScreen / view.scale };
}

export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The board area visible in a `width` x `height` pixel viewport. */
export function visibleRect(view: View, width: number, height: number): Rect {
  return {
    minX: view.x,
    minY: view.y,
    maxX: view.x + width / view.scale,
    maxY: view.y + height / view.scale,
  };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY;
}

/** A view that fits `content` into the viewport with a margin (never zooming in past 1:1). */
export function fitView(content: Rect, width: number, height: number, marginPx = 40): View {
  const w = Math.max(1, content.maxX - content.minX);
  const h = Math.max(1, content.maxY - content.minY);
  const scale = Math.min(
    1,
    Math.max(MIN_SCALE, Math.min((width - 2 * marginPx) / w, (height - 2 * marginPx) / h)),
  );
  return {
    x: content.minX - (width / scale - w) / 2,
    y: content.minY - (height / scale - h) / 2,
    scale,
  };
}

/** Two-finger gesture step: zoom by the change in finger distance around their midpoint, and pan with it. */
export function pinchStep(view: View, before: readonly [Point, Point], after: readonly [Point, Point]): View {
  const mid = (p: readonly [Point, Point]) => ({ x: (p[0].x + p[1].x) / 2, y: (p[0].y + p[1].y) / 2 });
  const dist = (p: readonly [Point, Point]) => Math.max(1, Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y));
  const m0 = mid(before);
  const m1 = mid(after);
  return panBy(zoomAt(view, m0, dist(after) / dist(before)), m1.x - m0.x, m1.y - m0.y);
}
