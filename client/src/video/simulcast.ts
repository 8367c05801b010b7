// Simulcast for cameras: three encodings (quarter, half and full resolution) so the SFU can forward to
// each viewer the layer that fits their tile; and the choice of layer from a tile's size on screen.

/** Camera capture size we ask for; layers are this divided by 4, 2 and 1. */
export const CAMERA_CAPTURE = { width: 1280, height: 720 } as const;

export interface SimulcastEncoding {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

export const CAMERA_ENCODINGS: readonly SimulcastEncoding[] = Object.freeze([
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
]);

/**
 * The lowest spatial layer whose height covers the tile's height in device pixels (with 15% slack), so a
 * thumbnail gets the quarter layer and a full-width speaker view gets full resolution.
 */
export function layerForTile(
  tileHeightCssPx: number,
  devicePixelRatio = 1,
  encodings = CAMERA_ENCODINGS,
): number {
  const needed = tileHeightCssPx * devicePixelRatio * 0.85;
  for (let layer = 0; layer < encodings.length; layer++) {
    const height = CAMERA_CAPTURE.height / (encodings[layer]?.scaleResolutionDownBy ?? 1);
    if (height >= needed) return layer;
  }
  return encodings.length - 1;
}
