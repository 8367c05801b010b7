// The recording scenario's Markdown tables: one row per window (without and with recording, interleaved), the
// averages of each kind, and the ffprobe check of every recording.
import type { RecordingImpactResult, RecordingWindow } from './recordingImpact.ts';

export function printRecordingImpact(result: RecordingImpactResult, machine: object): void {
  console.log(`\nmachine: ${JSON.stringify(machine)}`);
  console.log(
    `\n### Recording ${result.tracks} tracks: ${result.people} people publishing, ${result.viewers} viewer(s) of every track; harness UDP receive buffers ${result.harnessReceiveBufferBytes ? `${result.harnessReceiveBufferBytes / 1024} KiB` : 'system default'}\n`,
  );
  console.log(
    '| window | recording | recorders | viewer loss % video / audio (packets expected) | UDP drops sources / worker / viewers / recorders | worker core | server Node core | recorders core | recorder % of a core per track | harness core | sources core | other processes core | load average 1 min |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const w of result.windows) {
    console.log(
      `| ${w.index} | ${w.recording ? 'yes' : 'no'} | ${w.recorders} | ${lossCell(w)} | ${w.udpDrops.sources} / ${w.udpDrops.worker} / ${w.udpDrops.viewers} / ${w.udpDrops.recorders} | ${w.cores.worker.toFixed(3)} | ${w.cores.serverNode.toFixed(3)} | ${w.cores.recorders.toFixed(3)} | ${w.recorderPercentPerTrack?.toFixed(2) ?? '-'} | ${w.cores.harness.toFixed(2)} | ${w.cores.sources.toFixed(2)} | ${w.cores.others.toFixed(2)} | ${w.loadAverage1m.toFixed(2)} |`,
    );
  }
  for (const recording of [false, true]) {
    const windows = result.windows.filter((w) => w.recording === recording);
    const mean = (pick: (w: RecordingWindow) => number) =>
      windows.reduce((sum, w) => sum + pick(w), 0) / Math.max(1, windows.length);
    console.log(
      `\n${recording ? 'with recording' : 'without recording'} (${windows.length} windows): ` +
        `loss video ${mean((w) => w.lossPercent.video).toFixed(3)}% / audio ${mean((w) => w.lossPercent.audio).toFixed(3)}%, ` +
        `worker ${mean((w) => w.cores.worker).toFixed(3)} core` +
        (recording
          ? `, recorder ${mean((w) => w.recorderPercentPerTrack ?? 0).toFixed(2)}% of a core per track`
          : ''),
    );
  }
  console.log(
    '\n| recording | tracks | files | missing | ffprobe duration s | max deviation from manifest s | tracks spanning its window | ok |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const f of result.files) {
    console.log(
      `| ${f.recordingId} | ${f.tracks} | ${f.files} | ${f.missingFiles} | ${f.durationSec.min.toFixed(2)}-${f.durationSec.max.toFixed(2)} | ${f.maxDeviationSec.toFixed(2)} | ${f.tracksSpanningWindow} | ${f.ok ? 'yes' : 'NO'} |`,
    );
  }
}

function lossCell(w: RecordingWindow): string {
  const { video, audio } = w.packets;
  return `${w.lossPercent.video.toFixed(2)} / ${w.lossPercent.audio.toFixed(2)} (${video.expected} / ${audio.expected})`;
}
