// Whiteboard math: stroke smoothing, hit testing, bounds, pan and zoom.
import type { Shape } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { distanceToSegment, hitShape, shapeBounds } from '../../../client/src/board/geometry.ts';
import {
  dropClosePoints,
  smoothPathCommands,
  streamlinePoint,
  toSvgPath,
} from '../../../client/src/board/smoothing.ts';
import { fitView, panBy, pinchStep, toBoard, toScreen, zoomAt } from '../../../client/src/board/viewport.ts';

const shape = (over: Partial<Shape>): Shape => ({
  id: 's',
  kind: 'pen',
  x: 0,
  y: 0,
  w: 0,
  h: 0,
  color: '#000000',
  width: 2,
  z: 0,
  by: 'u',
  text: '',
  points: [],
  ...over,
});

describe('smoothing', () => {
  it('pulls input towards the previous point (less jitter), never past it', () => {
    expect(streamlinePoint(null, [10, 10])).toEqual([10, 10]);
    expect(streamlinePoint([0, 0], [10, 0], 0.5)).toEqual([5, 0]);
    expect(streamlinePoint([0, 0], [10, 0], 0)).toEqual([10, 0]);
  });

  it('draws quadratic curves through midpoints, ending exactly at the last point', () => {
    const commands = smoothPathCommands([0, 0, 10, 0, 20, 10, 30, 10], 100, 50);
    expect(commands[0]).toEqual({ op: 'M', x: 100, y: 50 });
    expect(commands.filter((c) => c.op === 'Q')).toHaveLength(2);
    expect(commands.at(-1)).toEqual({ op: 'L', x: 130, y: 60 });
    expect(commands[1]).toEqual({ op: 'Q', cx: 110, cy: 50, x: 115, y: 55 });
  });

  it('draws a single point as a dot and two points as a line', () => {
    expect(smoothPathCommands([5, 5]).map((c) => c.op)).toEqual(['M', 'L']);
    expect(smoothPathCommands([0, 0, 1, 1]).map((c) => c.op)).toEqual(['M', 'L']);
    expect(toSvgPath(smoothPathCommands([0, 0, 1.234, 1]))).toBe('M0 0 L1.23 1');
  });

  it('drops points closer than the minimum distance but keeps both ends', () => {
    expect(dropClosePoints([0, 0, 0.1, 0, 0.2, 0, 5, 0, 5.1, 0], 1)).toEqual([0, 0, 5, 0, 5.1, 0]);
  });
});

describe('geometry', () => {
  it('measures distance to a segment, clamped to its ends', () => {
    expect(distanceToSegment({ x: 5, y: 3 }, 0, 0, 10, 0)).toBe(3);
    expect(distanceToSegment({ x: -4, y: 3 }, 0, 0, 10, 0)).toBe(5);
  });

  it('bounds a pen stroke by its points plus half its width', () => {
    expect(shapeBounds(shape({ x: 10, y: 10, width: 4, points: [0, 0, 20, -5] }))).toEqual({
      minX: 7,
      minY: 2,
      maxX: 33,
      maxY: 13,
    });
  });

  it('hits strokes and outlines near their ink, filled notes anywhere inside', () => {
    const pen = shape({ points: [0, 0, 100, 0] });
    expect(hitShape(pen, { x: 50, y: 3 }, 3)).toBe(true);
    expect(hitShape(pen, { x: 50, y: 10 }, 3)).toBe(false);
    const rect = shape({ kind: 'rect', w: 100, h: 100 });
    expect(hitShape(rect, { x: 1, y: 50 }, 3)).toBe(true);
    expect(hitShape(rect, { x: 50, y: 50 }, 3)).toBe(false);
    const sticky = shape({ kind: 'sticky', w: 100, h: 100 });
    expect(hitShape(sticky, { x: 50, y: 50 }, 3)).toBe(true);
    const ellipse = shape({ kind: 'ellipse', w: 100, h: 50 });
    expect(hitShape(ellipse, { x: 100, y: 25 }, 3)).toBe(true);
    expect(hitShape(ellipse, { x: 50, y: 25 }, 3)).toBe(false);
  });
});

describe('viewport', () => {
  it('round-trips between board and screen coordinates', () => {
    const view = { x: 100, y: 50, scale: 2 };
    expect(toScreen(view, toBoard(view, { x: 30, y: 40 }))).toEqual({ x: 30, y: 40 });
  });

  it('zooms around the pointer: the point under it stays put', () => {
    const view = { x: 0, y: 0, scale: 1 };
    const anchor = { x: 200, y: 100 };
    const before = toBoard(view, anchor);
    const zoomed = zoomAt(view, anchor, 2);
    expect(zoomed.scale).toBe(2);
    expect(toBoard(zoomed, anchor)).toEqual(before);
    expect(zoomAt(view, anchor, 1000).scale).toBe(8);
  });

  it('pans by screen pixels regardless of zoom, and fits content with a margin', () => {
    expect(panBy({ x: 0, y: 0, scale: 2 }, 100, -50)).toEqual({ x: -50, y: 25, scale: 2 });
    const fit = fitView({ minX: 0, minY: 0, maxX: 2000, maxY: 1000 }, 1000, 600);
    expect(fit.scale).toBeCloseTo(0.46);
    expect(toScreen(fit, { x: 1000, y: 500 }).x).toBeCloseTo(500);
  });
});

describe('pinch', () => {
  it('zooms by the finger distance around the midpoint and pans with it', () => {
    const view = { x: 0, y: 0, scale: 1 };
    const spread = pinchStep(
      view,
      [
        { x: 90, y: 100 },
        { x: 110, y: 100 },
      ],
      [
        { x: 80, y: 100 },
        { x: 120, y: 100 },
      ],
    );
    expect(spread.scale).toBeCloseTo(2);
    expect(toBoard(spread, { x: 100, y: 100 })).toEqual({ x: 100, y: 100 });
    const dragged = pinchStep(
      view,
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
      ],
      [
        { x: 20, y: 0 },
        { x: 30, y: 0 },
      ],
    );
    expect(dragged).toEqual({ x: -20, y: 0, scale: 1 });
  });
});
