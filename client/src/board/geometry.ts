// Shape geometry: bounding boxes (for culling and selection) and hit tests (for select and eraser).
import type { Shape } from '@tandem/shared';
import type { Point, Rect } from './viewport.ts';

export function textFontSize(shape: Pick<Shape, 'width'>): number {
  return 8 + shape.width * 4;
}

/** Board-space bounds, padded by half the stroke width. */
export function shapeBounds(shape: Shape): Rect {
  const pad = shape.width / 2 + 1;
  if (shape.kind === 'pen') {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i + 1 < shape.points.length; i += 2) {
      const x = shape.points[i]!;
      const y = shape.points[i + 1]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    if (minX === Number.POSITIVE_INFINITY)
      return { minX: shape.x, minY: shape.y, maxX: shape.x, maxY: shape.y };
    return {
      minX: shape.x + minX - pad,
      minY: shape.y + minY - pad,
      maxX: shape.x + maxX + pad,
      maxY: shape.y + maxY + pad,
    };
  }
  const x2 = shape.x + shape.w;
  const y2 = shape.y + shape.h;
  const arrowPad = shape.kind === 'arrow' ? shape.width * 3 : 0;
  return {
    minX: Math.min(shape.x, x2) - pad - arrowPad,
    minY: Math.min(shape.y, y2) - pad - arrowPad,
    maxX: Math.max(shape.x, x2) + pad + arrowPad,
    maxY: Math.max(shape.y, y2) + pad + arrowPad,
  };
}

export function distanceToSegment(p: Point, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / lengthSq));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}

function inside(r: Rect, p: Point): boolean {
  return p.x >= r.minX && p.x <= r.maxX && p.y >= r.minY && p.y <= r.maxY;
}

/** Whether `p` touches the shape within `tolerance` board units. Filled boxes hit inside; outlines near edges. */
export function hitShape(shape: Shape, p: Point, tolerance: number): boolean {
  const reach = tolerance + shape.width / 2;
  switch (shape.kind) {
    case 'pen': {
      const pts = shape.points;
      if (pts.length === 2) return Math.hypot(p.x - shape.x - pts[0]!, p.y - shape.y - pts[1]!) <= reach;
      for (let i = 0; i + 3 < pts.length; i += 2) {
        const d = distanceToSegment(
          p,
          shape.x + pts[i]!,
          shape.y + pts[i + 1]!,
          shape.x + pts[i + 2]!,
          shape.y + pts[i + 3]!,
        );
        if (d <= reach) return true;
      }
      return false;
    }
    case 'line':
    case 'arrow':
      return distanceToSegment(p, shape.x, shape.y, shape.x + shape.w, shape.y + shape.h) <= reach;
    case 'rect': {
      const r = shapeBounds(shape);
      const inner = {
        minX: r.minX + 2 * reach,
        minY: r.minY + 2 * reach,
        maxX: r.maxX - 2 * reach,
        maxY: r.maxY - 2 * reach,
      };
      return inside(r, p) && !inside(inner, p);
    }
    case 'ellipse': {
      const rx = Math.abs(shape.w) / 2;
      const ry = Math.abs(shape.h) / 2;
      const cx = shape.x + shape.w / 2;
      const cy = shape.y + shape.h / 2;
      if (rx < 1 || ry < 1) return Math.hypot(p.x - cx, p.y - cy) <= reach + Math.max(rx, ry);
      // Distance along the normalised radius, scaled back: good enough for picking.
      const k = Math.hypot((p.x - cx) / rx, (p.y - cy) / ry);
      return Math.abs(k - 1) * Math.min(rx, ry) <= reach;
    }
    case 'text':
    case 'sticky':
      return inside(shapeBounds(shape), p);
    default: {
      const unreachable: never = shape.kind;
      return unreachable;
    }
  }
}

export function rectFromPoints(a: Point, b: Point): Rect {
  return {
    minX: Math.min(a.x, b.x),
    minY: Math.min(a.y, b.y),
    maxX: Math.max(a.x, b.x),
    maxY: Math.max(a.y, b.y),
  };
}

export function unionRect(rects: Iterable<Rect>): Rect | null {
  let out: Rect | null = null;
  for (const r of rects) {
    out = out
      ? {
          minX: Math.min(out.minX, r.minX),
          minY: Math.min(out.minY, r.minY),
          maxX: Math.max(out.maxX, r.maxX),
          maxY: Math.max(out.maxY, r.maxY),
        }
      : { ...r };
  }
  return out;
}
