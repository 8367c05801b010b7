// The ffmpeg command that turns a recording into one MP4 (H.264 + AAC), as a pure function of its manifest: a
// 1280x720 canvas for the whole recording; the screen share large (each screen segment at its own time) with
// the active speaker's camera small in a corner, or that camera large when nothing was shared; every voice and
// screen audio mixed, each delayed to its time. Who the speaker is when comes from speakerTurns.ts; without
// turns (nobody was heard) it is the person who was on the microphone the longest, for the whole recording.
import path from 'node:path';
import type { RecordingManifest, RecordingSegment, RecordingTrack } from '@tandem/shared';
import type { SpeakerTurn } from './speakerTurns.ts';

export const EXPORT_WIDTH = 1280;
export const EXPORT_HEIGHT = 720;
const SMALL_WIDTH = 320;
const SMALL_HEIGHT = 180;
const MARGIN = 16;
const FPS = 25;

interface Placed {
  input: number;
  track: RecordingTrack;
  segment: RecordingSegment;
}

export interface ExportPlan {
  args: string[];
  durationSec: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function spokeMs(track: RecordingTrack): number {
  return track.segments.reduce((sum, s) => sum + ((s.endOffsetMs ?? s.startOffsetMs) - s.startOffsetMs), 0);
}

/** The user whose microphone was recorded the longest (null when nobody spoke). */
export function mainSpeaker(manifest: RecordingManifest): string | null {
  const byUser = new Map<string, number>();
  for (const t of manifest.tracks) {
    if (t.source === 'mic') byUser.set(t.userId, (byUser.get(t.userId) ?? 0) + spokeMs(t));
  }
  return [...byUser].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** The recording's length as the export sees it. */
export function exportDurationMs(manifest: RecordingManifest): number {
  return Math.max(1000, (manifest.stoppedAt ?? 0) - (manifest.startedAt ?? 0));
}

export function exportPlan(
  manifest: RecordingManifest,
  folder: string,
  outPath: string,
  turns: readonly SpeakerTurn[] = [],
): ExportPlan {
  const durationMs = exportDurationMs(manifest);
  const args: string[] = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    '-progress',
    'pipe:1',
  ];
  const placed: Placed[] = [];
  for (const track of manifest.tracks) {
    for (const segment of track.segments) {
      if (!segment.bytes || segment.endOffsetMs === null) continue;
      placed.push({ input: placed.length, track, segment });
      args.push('-i', path.join(folder, segment.file));
    }
  }
  const speaker = mainSpeaker(manifest);
  const speaking: readonly SpeakerTurn[] =
    turns.length > 0 ? turns : speaker ? [{ userId: speaker, startMs: 0, endMs: durationMs }] : [];
  const whole = (p: Placed): [number, number][] => [
    [p.segment.startOffsetMs, p.segment.endOffsetMs ?? durationMs],
  ];
  const screens = placed.filter((p) => p.track.source === 'screen').map((p) => ({ p, shown: whole(p) }));
  // Nobody spoke at all: every camera at its time, as before there were speakers.
  const cameras = placed
    .filter((p) => p.track.source === 'camera')
    .map((p) => ({ p, shown: speaking.length > 0 ? shownWhileSpeaking(p, speaking) : whole(p) }))
    .filter((c) => c.shown.length > 0);
  const large = screens.length > 0 ? screens : cameras;
  const small = screens.length > 0 ? cameras : [];
  const voices = placed.filter((p) => p.track.kind === 'audio');

  const filters: string[] = [
    `color=c=0x111827:s=${EXPORT_WIDTH}x${EXPORT_HEIGHT}:r=${FPS}:d=${seconds(durationMs)}[base0]`,
  ];
  let base = 'base0';
  let n = 0;
  const overlay = (
    { p, shown }: { p: Placed; shown: [number, number][] },
    w: number,
    h: number,
    x: string,
    y: string,
  ) => {
    const start = seconds(p.segment.startOffsetMs);
    const enable = shown.map(([from, to]) => `between(t,${seconds(from)},${seconds(to)})`).join('+');
    const fit = `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black`;
    filters.push(`[${p.input}:v]${fit},fps=${FPS},setpts=PTS-STARTPTS+${start}/TB[v${n}]`);
    const next = `base${n + 1}`;
    filters.push(`[${base}][v${n}]overlay=x=${x}:y=${y}:eof_action=pass:enable='${enable}'[${next}]`);
    base = next;
    n++;
  };
  for (const p of large) overlay(p, EXPORT_WIDTH, EXPORT_HEIGHT, '0', '0');
  for (const p of small) {
    overlay(p, SMALL_WIDTH, SMALL_HEIGHT, `W-w-${MARGIN}`, `H-h-${MARGIN}`);
  }
  filters.push(`[${base}]format=yuv420p[vout]`);
  if (voices.length > 0) {
    voices.forEach((p, i) => {
      const delay = Math.round(p.segment.startOffsetMs);
      filters.push(`[${p.input}:a]aresample=48000,adelay=${delay}:all=1[a${i}]`);
    });
    const mixed = voices.map((_, i) => `[a${i}]`).join('');
    filters.push(`${mixed}amix=inputs=${voices.length}:normalize=0:duration=longest,apad[aout]`);
  } else {
    filters.push('anullsrc=r=48000:cl=stereo[aout]');
  }
  args.push(
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    '-t',
    seconds(durationMs),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '26',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    '-y',
    outPath,
  );
  return { args, durationSec: durationMs / 1000 };
}

/** The parts of a camera segment during which its person is the speaker. */
function shownWhileSpeaking(p: Placed, turns: readonly SpeakerTurn[]): [number, number][] {
  const start = p.segment.startOffsetMs;
  const end = p.segment.endOffsetMs ?? start;
  return turns
    .filter((t) => t.userId === p.track.userId)
    .map((t): [number, number] => [Math.max(start, t.startMs), Math.min(end, t.endMs)])
    .filter(([from, to]) => to > from);
}
