// What the overlay canvas shows besides moving shapes: selection outlines, the marquee, and other people's
// pointers with their names (drawn with fillText: names are never markup).
import type { Peer } from '../presence/peerState.ts';
import type { BoardScene } from './BoardScene.ts';
import type { Rect, View } from './viewport.ts';

export function paintSelection(
  ctx: CanvasRenderingContext2D,
  view: View,
  scene: BoardScene,
  ids: ReadonlySet<string>,
) {
  ctx.save();
  ctx.strokeStyle = '#2563eb';
  ctx.lineWidth = 1.5 / view.scale;
  ctx.setLineDash([6 / view.scale, 4 / view.scale]);
  for (const id of ids) {
    const b = scene.items.get(id)?.bounds;
    if (b)
      ctx.strokeRect(
        b.minX - 4 / view.scale,
        b.minY - 4 / view.scale,
        b.maxX - b.minX + 8 / view.scale,
        b.maxY - b.minY + 8 / view.scale,
      );
  }
  ctx.restore();
}

export function paintMarquee(ctx: CanvasRenderingContext2D, view: View, rect: Rect) {
  ctx.save();
  ctx.fillStyle = 'rgba(37, 99, 235, 0.08)';
  ctx.strokeStyle = '#2563eb';
  ctx.lineWidth = 1 / view.scale;
  ctx.fillRect(rect.minX, rect.minY, rect.maxX - rect.minX, rect.maxY - rect.minY);
  ctx.strokeRect(rect.minX, rect.minY, rect.maxX - rect.minX, rect.maxY - rect.minY);
  ctx.restore();
}

export function paintPointers(ctx: CanvasRenderingContext2D, view: View, peers: readonly Peer[]) {
  const s = 1 / view.scale;
  ctx.save();
  ctx.font = `${12 * s}px system-ui, "DejaVu Sans", sans-serif`;
  ctx.textBaseline = 'top';
  for (const peer of peers) {
    if (peer.isSelf || !peer.pointer) continue;
    const { x, y } = peer.pointer;
    ctx.fillStyle = peer.color;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 4 * s, y + 15 * s);
    ctx.lineTo(x + 7 * s, y + 9 * s);
    ctx.lineTo(x + 13 * s, y + 8 * s);
    ctx.closePath();
    ctx.fill();
    const label = peer.user.name;
    const w = ctx.measureText(label).width + 8 * s;
    ctx.fillRect(x + 10 * s, y + 16 * s, w, 17 * s);
    ctx.fillStyle = '#ffffff';
    ctx.fillText(label, x + 14 * s, y + 18.5 * s);
  }
  ctx.restore();
}
