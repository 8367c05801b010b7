// What the call shows where. One tile per source: every person has a camera tile (their avatar while the
// camera is off) and a screen share is a tile of its own, so sharing never hides the presenter's camera.
// The speaker view puts one tile large (pinned, else a screen share, else the speaker) with the presenter's
// camera as a small overlay on their share, and everyone else in a strip; the gallery shows all tiles in
// the grid that makes them largest. Pure, so it is tested without a DOM.
import type { MediaState, RemotePeer } from './mediaState.ts';

export type TileSource = 'camera' | 'screen';

export interface StageTile {
  /** Stable across renders: `<peerId>:<source>`. */
  key: string;
  peerId: string;
  userId: string;
  name: string;
  source: TileSource;
  self: boolean;
  /** There is video to show (a screen always; a camera when on and not paused). */
  video: boolean;
}

export type StageMode = 'speaker' | 'gallery';

export const SELF_PEER = 'self';

const tileKey = (peerId: string, source: TileSource) => `${peerId}:${source}`;

function remoteTiles(peer: RemotePeer): StageTile[] {
  const base = { peerId: peer.info.peerId, userId: peer.info.userId, name: peer.info.name, self: false };
  const camera = peer.streams.find((s) => s.source === 'camera');
  const tiles: StageTile[] = [
    { ...base, key: tileKey(base.peerId, 'camera'), source: 'camera', video: !!camera && !camera.paused },
  ];
  if (peer.streams.some((s) => s.source === 'screen'))
    tiles.push({ ...base, key: tileKey(base.peerId, 'screen'), source: 'screen', video: true });
  return tiles;
}

/** Every tile of the call: ours first (camera, then our screen), then each remote person's. */
export function tilesOf(state: MediaState, self: { userId: string; name: string }): StageTile[] {
  const peerId = state.self?.peerId ?? SELF_PEER;
  const base = { peerId, userId: self.userId, name: self.name, self: true };
  const camera = state.local.camera;
  const tiles: StageTile[] = [
    {
      ...base,
      key: tileKey(peerId, 'camera'),
      source: 'camera',
      video: camera.track !== null && !camera.paused,
    },
  ];
  if (state.local.screen.producerId !== null)
    tiles.push({ ...base, key: tileKey(peerId, 'screen'), source: 'screen', video: true });
  for (const peer of state.peers) tiles.push(...remoteTiles(peer));
  return tiles;
}

export interface SpeakerLayout {
  main: StageTile | null;
  /** The presenter's camera, over their screen share. */
  overlay: StageTile | null;
  strip: StageTile[];
}

/** Screens, then whoever speaks, then by name; our own tiles last (we know what we look like). */
function byInterest(speaker: string | null) {
  const rank = (t: StageTile) => (t.self ? 3 : t.source === 'screen' ? 0 : t.peerId === speaker ? 1 : 2);
  return (a: StageTile, b: StageTile) =>
    rank(a) - rank(b) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key);
}

/** The tile shown large: the pinned one, else someone else's screen share, else the speaker, else anyone. */
export function mainTile(
  tiles: readonly StageTile[],
  pinned: string | null,
  speaker: string | null,
): StageTile | null {
  const others = tiles.filter((t) => !t.self);
  return (
    tiles.find((t) => t.key === pinned) ??
    others.find((t) => t.source === 'screen') ??
    others.find((t) => t.source === 'camera' && t.peerId === speaker) ??
    others.find((t) => t.source === 'camera' && t.video) ??
    others[0] ??
    tiles.find((t) => t.source === 'camera') ??
    null
  );
}

export function speakerLayout(
  tiles: readonly StageTile[],
  pinned: string | null,
  speaker: string | null,
): SpeakerLayout {
  const main = mainTile(tiles, pinned, speaker);
  const presenterCamera =
    main?.source === 'screen'
      ? tiles.find((t) => t.peerId === main.peerId && t.source === 'camera' && t.video)
      : undefined;
  const overlay = presenterCamera ?? null;
  const strip = tiles.filter((t) => t !== main && t !== overlay).sort(byInterest(speaker));
  return { main, overlay, strip };
}

/** Gallery order: the pinned tile, screen shares, our camera, then everyone by name. */
export function galleryOrder(tiles: readonly StageTile[], pinned: string | null): StageTile[] {
  const rank = (t: StageTile) => (t.key === pinned ? 0 : t.source === 'screen' ? 1 : t.self ? 2 : 3);
  return [...tiles].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key),
  );
}

/** Columns and rows that make `count` tiles of `aspect` (width / height) as large as the area allows. */
export function bestGrid(
  count: number,
  width: number,
  height: number,
  aspect = 16 / 9,
): { cols: number; rows: number } {
  if (count <= 0 || width <= 0 || height <= 0) return { cols: 1, rows: 1 };
  let best = { cols: 1, rows: count, tileWidth: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const tileWidth = Math.min(width / cols, (height / rows) * aspect);
    if (tileWidth > best.tileWidth) best = { cols, rows, tileWidth };
  }
  return { cols: best.cols, rows: best.rows };
}
