// Per-tile helpers: attach a track to a <video>/<audio> element, pick the simulcast layer from the tile's
// size, and poll a consumer's stats for the quality bars.
import { type RefObject, useEffect, useState } from 'react';
import type { MediaSession } from './MediaSession.ts';
import { type Quality, qualityBetween, type StatsSample, sampleFromReport } from './quality.ts';
import { layerForTile } from './simulcast.ts';

export const QUALITY_POLL_MS = 3000;

export function useTrack(
  ref: RefObject<HTMLMediaElement | null>,
  track: MediaStreamTrack | null | undefined,
): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = track ? new MediaStream([track]) : null;
    if (track) void element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [ref, track]);
}

/** Asks the SFU for the camera layer that fits this tile, again whenever the tile is resized. */
export function usePreferredLayer(
  ref: RefObject<HTMLElement | null>,
  session: MediaSession,
  consumerId: string | undefined,
): void {
  useEffect(() => {
    const element = ref.current;
    if (!element || !consumerId) return;
    let current = -1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const layer = layerForTile(element.clientHeight, window.devicePixelRatio || 1);
        if (layer === current) return;
        current = layer;
        session.setPreferredLayer(consumerId, layer);
      }, 250);
    });
    observer.observe(element);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [ref, session, consumerId]);
}

export function useQuality(session: MediaSession, consumerId: string | undefined): Quality {
  const [quality, setQuality] = useState<Quality>('unknown');
  useEffect(() => {
    if (!consumerId) return;
    let previous: StatsSample | null = null;
    let stopped = false;
    const poll = async () => {
      const report = await session.consumerStats(consumerId);
      if (stopped || !report) return;
      const sample = sampleFromReport(report);
      setQuality(qualityBetween(previous, sample));
      previous = sample;
    };
    const timer = setInterval(() => void poll(), QUALITY_POLL_MS);
    void poll();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [session, consumerId]);
  return quality;
}
