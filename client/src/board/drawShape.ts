// Paints one shape on a 2D canvas context already transformed to board coordinates. Paths are cached on the
// scene item; text is drawn with fillText (never parsed as markup).
import type { Shape } from '@tandem/shared';
import type { SceneItem } from './BoardScene.ts';
import { textFontSize } from './geometry.ts';
import { smoothPathCommands, tracePath } from './smoothing.ts';

export const STICKY_PADDING = 10;
export const FONT_FAMILY = 'system-ui, "DejaVu Sans", sans-serif';

export function arrowHead(shape: Pick<Shape, 'x' | 'y' | 'w' | 'h' | 'width'>): [number, number][] {
  const tipX = shape.x + shape.w;
  const tipY = shape.y + shape.h;
  const angle = Math.atan2(shape.h, shape.w);
  const size = 6 + shape.width * 2.5;
  const spread = Math.PI / 7;
  return [
    [tipX - size * Math.cos(angle - spread), tipY - size * Math.sin(angle - spread)],
    [tipX, tipY],
    [tipX - size * Math.cos(angle + spread), tipY - size * Math.sin(angle + spread)],
  ];
}

export function buildPath(shape: Shape): Path2D {
  const path = new Path2D();
  switch (shape.kind) {
    case 'pen':
      tracePath(path, smoothPathCommands(shape.points, shape.x, shape.y));
      break;
    case 'rect':
      path.rect(shape.x, shape.y, shape.w, shape.h);
      break;
    case 'ellipse':
      path.ellipse(
        shape.x + shape.w / 2,
        shape.y + shape.h / 2,
        Math.abs(shape.w) / 2,
        Math.abs(shape.h) / 2,
        0,
        0,
        Math.PI * 2,
      );
      break;
    case 'arrow': {
      path.moveTo(shape.x, shape.y);
      path.lineTo(shape.x + shape.w, shape.y + shape.h);
      const [a, tip, b] = arrowHead(shape);
      path.moveTo(a![0], a![1]);
      path.lineTo(tip![0], tip![1]);
      path.lineTo(b![0], b![1]);
      break;
    }
    case 'line':
      path.moveTo(shape.x, shape.y);
      path.lineTo(shape.x + shape.w, shape.y + shape.h);
      break;
    case 'text':
    case 'sticky':
      break;
    default: {
      const unreachable: never = shape.kind;
      return unreachable;
    }
  }
  return path;
}

/** Splits text into lines that fit `maxWidth` (words longer than a line are broken by character). */
export function wrapText(
  ctx: Pick<CanvasRenderingContext2D, 'measureText'>,
  text: string,
  maxWidth: number,
): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/(\s+)/)) {
      const candidate = line + word;
      if (ctx.measureText(candidate).width <= maxWidth || line === '') {
        line = candidate;
        continue;
      }
      lines.push(line.trimEnd());
      line = word.trimStart();
    }
    lines.push(line);
  }
  return lines;
}

function drawText(ctx: CanvasRenderingContext2D, shape: Shape): void {
  const size = textFontSize(shape);
  ctx.font = `${size}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'top';
  if (shape.kind === 'sticky') {
    ctx.fillStyle = shape.color;
    ctx.globalAlpha = 0.25;
    ctx.fillRect(shape.x, shape.y, shape.w, shape.h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = shape.color;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(shape.x, shape.y, shape.w, shape.h);
    ctx.fillStyle = '#111827';
    const lines = wrapText(ctx, shape.text, shape.w - 2 * STICKY_PADDING);
    ctx.save();
    ctx.beginPath();
    ctx.rect(shape.x, shape.y, shape.w, shape.h);
    ctx.clip();
    lines.forEach((line, i) => {
      ctx.fillText(line, shape.x + STICKY_PADDING, shape.y + STICKY_PADDING + i * size * 1.25);
    });
    ctx.restore();
    return;
  }
  ctx.fillStyle = shape.color;
  shape.text.split('\n').forEach((line, i) => {
    ctx.fillText(line, shape.x, shape.y + i * size * 1.25);
  });
}

export function drawItem(ctx: CanvasRenderingContext2D, item: SceneItem): void {
  const { shape } = item;
  if (shape.kind === 'text' || shape.kind === 'sticky') {
    drawText(ctx, shape);
    return;
  }
  item.path ??= buildPath(shape);
  ctx.strokeStyle = shape.color;
  ctx.lineWidth = shape.width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke(item.path);
}

/** Width and height of a free text shape, for its bounds. */
export function measureText(
  ctx: CanvasRenderingContext2D,
  text: string,
  strokeWidth: number,
): { w: number; h: number } {
  const size = textFontSize({ width: strokeWidth });
  ctx.font = `${size}px ${FONT_FAMILY}`;
  const lines = text.split('\n');
  const w = Math.max(size, ...lines.map((l) => ctx.measureText(l).width));
  return { w: Math.ceil(w), h: Math.ceil(lines.length * size * 1.25) };
}
