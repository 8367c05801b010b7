// Exports the board as SVG (built with DOM APIs: text nodes are escaped by the serializer, never parsed) or
// PNG (painted on an offscreen canvas with the same drawing code as the screen).
import type { Shape } from '@tandem/shared';
import type { BoardScene, SceneItem } from './BoardScene.ts';
import { arrowHead, drawItem, FONT_FAMILY, STICKY_PADDING, wrapText } from './drawShape.ts';
import { textFontSize, unionRect } from './geometry.ts';
import { smoothPathCommands, toSvgPath } from './smoothing.ts';
import type { Rect } from './viewport.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN = 20;
const EMPTY: Rect = { minX: 0, minY: 0, maxX: 400, maxY: 300 };

export function contentBounds(items: readonly SceneItem[]): Rect {
  return unionRect(items.map((i) => i.bounds)) ?? EMPTY;
}

function el(name: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function strokeAttrs(shape: Shape) {
  return {
    fill: 'none',
    stroke: shape.color,
    'stroke-width': shape.width,
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
  };
}

function shapeToSvg(shape: Shape, measure: CanvasRenderingContext2D): SVGElement | null {
  switch (shape.kind) {
    case 'pen':
      return el('path', {
        d: toSvgPath(smoothPathCommands(shape.points, shape.x, shape.y)),
        ...strokeAttrs(shape),
      });
    case 'rect':
      return el('rect', {
        x: Math.min(shape.x, shape.x + shape.w),
        y: Math.min(shape.y, shape.y + shape.h),
        width: Math.abs(shape.w),
        height: Math.abs(shape.h),
        ...strokeAttrs(shape),
      });
    case 'ellipse':
      return el('ellipse', {
        cx: shape.x + shape.w / 2,
        cy: shape.y + shape.h / 2,
        rx: Math.abs(shape.w) / 2,
        ry: Math.abs(shape.h) / 2,
        ...strokeAttrs(shape),
      });
    case 'line':
    case 'arrow': {
      let d = `M${shape.x} ${shape.y} L${shape.x + shape.w} ${shape.y + shape.h}`;
      if (shape.kind === 'arrow')
        d += ` M${arrowHead(shape)
          .map(([x, y]) => `${x} ${y}`)
          .join(' L')}`;
      return el('path', { d, ...strokeAttrs(shape) });
    }
    case 'text':
    case 'sticky': {
      const size = textFontSize(shape);
      const group = el('g', {});
      let lines = shape.text.split('\n');
      let x = shape.x;
      let y = shape.y;
      if (shape.kind === 'sticky') {
        group.append(
          el('rect', {
            x: shape.x,
            y: shape.y,
            width: shape.w,
            height: shape.h,
            fill: shape.color,
            'fill-opacity': 0.25,
            stroke: shape.color,
          }),
        );
        measure.font = `${size}px ${FONT_FAMILY}`;
        lines = wrapText(measure, shape.text, shape.w - 2 * STICKY_PADDING);
        x += STICKY_PADDING;
        y += STICKY_PADDING;
      }
      lines.forEach((line, i) => {
        const text = el('text', {
          x,
          y: y + i * size * 1.25,
          'dominant-baseline': 'hanging',
          'font-size': size,
          'font-family': FONT_FAMILY,
          fill: shape.kind === 'sticky' ? '#111827' : shape.color,
        });
        text.textContent = line;
        group.append(text);
      });
      return group;
    }
    default: {
      const unreachable: never = shape.kind;
      return unreachable;
    }
  }
}

export function boardToSvg(scene: BoardScene): string {
  const items = scene.sorted();
  const b = contentBounds(items);
  const width = b.maxX - b.minX + 2 * MARGIN;
  const height = b.maxY - b.minY + 2 * MARGIN;
  const svg = el('svg', {
    xmlns: SVG_NS,
    width,
    height,
    viewBox: `${b.minX - MARGIN} ${b.minY - MARGIN} ${width} ${height}`,
  });
  svg.append(el('rect', { x: b.minX - MARGIN, y: b.minY - MARGIN, width, height, fill: '#ffffff' }));
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) throw new Error('canvas 2D context unavailable');
  for (const item of items) {
    const node = shapeToSvg(item.shape, measure);
    if (node) svg.append(node);
  }
  return new XMLSerializer().serializeToString(svg);
}

export function boardToPng(scene: BoardScene, pixelRatio = 2): Promise<Blob> {
  const items = scene.sorted();
  const b = contentBounds(items);
  const width = b.maxX - b.minX + 2 * MARGIN;
  const height = b.maxY - b.minY + 2 * MARGIN;
  // Browsers cap canvas size; very large boards are scaled down to fit.
  const scale = Math.min(pixelRatio, 8000 / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('canvas 2D context unavailable'));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, (MARGIN - b.minX) * scale, (MARGIN - b.minY) * scale);
  for (const item of items) drawItem(ctx, item);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
