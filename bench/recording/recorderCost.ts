// Does recording hurt the live class? (docs/benchmarks.md, "Recording 20 tracks"): 10 people each publish a
// real camera (VP8 320x240, 15 fps) and microphone (Opus) from ffmpeg's test sources, one more person watches
// the first one; for a window without recording and one while all 20 tracks are recorded, it reports what the
// watcher lost (packets the SFU forwarded vs packets the source sent), the mediasoup worker's CPU, and the
// recorders' CPU per track. `npm run bench:recording -- [people] [window seconds]` (default 10, 10).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordingServiceOf } from '../../server/src/recording/index.ts';
import { type FfmpegSource, startFfmpegSource } from '../../test/helpers/ffmpegRtp.ts';
import { startTestServer } from '../../test/helpers/server.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { WeriftMediaPeer } from '../../test/helpers/weriftPeer.ts';
import { childrenNamed, cpuSeconds } from '../media/procCpu.ts';

const cpuOf = (pid: number): number => {
  try {
    return cpuSeconds(pid);
  } catch {
    return 0;
  }
};
const people = Number(process.argv[2] ?? 10);
const windowMs = Number(process.argv[3] ?? 10) * 1000;
const CLASS_ID = 'benchrec';
const recordingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-rec-'));
const server = await startTestServer({
  MEDIA_ENABLED: 'true',
  MEDIA_WORKERS: '1',
  RTC_PORT: '0',
  RTC_LISTEN_IP: '127.0.0.1',
  RECORDINGS_DIR: recordingsDir,
});
const feeds: FfmpegSource[] = [];
const peers: WeriftMediaPeer[] = [];
const log = (line: string) => console.error(`[bench:recording] ${line}`);
try {
  const staff = await server.token({ sub: 'p0', role: 'instructor', cls: CLASS_ID });
  const auth = { authorization: `Bearer ${staff}`, 'content-type': 'application/json' };
  const session = (await (
    await fetch(`${server.httpUrl}/api/classes/${CLASS_ID}/sessions`, {
      method: 'POST',
      headers: auth,
      body: '{"startNow":true}',
    })
  ).json()) as { session: { id: string } };
  const producerIds: string[] = [];
  for (let i = 0; i < people; i++) {
    const peer = await WeriftMediaPeer.join(server, { sub: `p${i}`, role: 'instructor', cls: CLASS_ID });
    peers.push(peer);
    for (const source of ['mic', 'camera'] as const) {
      const feed = await startFfmpegSource(source === 'mic' ? 'audio' : 'video');
      feeds.push(feed);
      const producer = await peer.publishTrack(source, feed.track);
      if (i === 0) producerIds.push(producer.id);
    }
  }
  log(`${people} people publishing ${people * 2} tracks`);
  const viewer = await WeriftMediaPeer.join(server, { sub: 'viewer', role: 'student', cls: CLASS_ID });
  peers.push(viewer);
  const received: Awaited<ReturnType<WeriftMediaPeer['consume']>>[] = [];
  for (const id of producerIds) received.push(await viewer.consume(id));
  await waitFor(() => received.every((r) => r.packets > 0), { timeoutMs: 20_000 });
  const [worker] = childrenNamed(process.pid, 'mediasoup-worker');

  const measure = async (recording: boolean) => {
    const recorders = recording
      ? (recordingServiceOf(server.tandem.ctx)
          ?.active(CLASS_ID)
          ?.rooms.flatMap((r) => [...r.tracks.values()])
          .map((t) => t.process?.pid)
          .filter((pid): pid is number => pid !== undefined) ?? [])
      : [];
    const sent0 = [feeds[0]!.packets(), feeds[1]!.packets()];
    const got0 = received.map((r) => r.packets);
    const workerCpu0 = worker ? cpuSeconds(worker) : 0;
    // A recorder that exits meanwhile (restarted as a new segment) counts up to its last reading.
    const last = new Map(recorders.map((pid) => [pid, cpuOf(pid)]));
    const recorderCpu0 = recorders.map((pid) => last.get(pid) ?? 0);
    const sampler = setInterval(() => {
      for (const pid of recorders) last.set(pid, cpuOf(pid) || (last.get(pid) ?? 0));
    }, 500);
    const until = Date.now() + windowMs;
    await waitFor(() => Date.now() >= until, { timeoutMs: windowMs + 5000, intervalMs: 100 });
    const sent = [feeds[0]!.packets() - sent0[0]!, feeds[1]!.packets() - sent0[1]!];
    const got = received.map((r, i) => r.packets - got0[i]!);
    clearInterval(sampler);
    for (const pid of recorders) last.set(pid, cpuOf(pid) || (last.get(pid) ?? 0));
    const recorderCpu = recorders.reduce((sum, pid, i) => sum + (last.get(pid) ?? 0) - recorderCpu0[i]!, 0);
    return {
      recording,
      recorders: recorders.length,
      viewerLossPercent: got.map((g, i) => Math.round((1 - g / sent[i]!) * 1000) / 10),
      workerCpuPercent: worker
        ? Math.round(((cpuSeconds(worker) - workerCpu0) / (windowMs / 1000)) * 1000) / 10
        : null,
      recorderCpuPercentPerTrack: recorders.length
        ? Math.round((recorderCpu / (windowMs / 1000) / recorders.length) * 1000) / 10
        : null,
    };
  };
  const without = await measure(false);
  log(JSON.stringify(without));
  await fetch(`${server.httpUrl}/api/sessions/${session.session.id}/recording`, {
    method: 'POST',
    headers: auth,
    body: '{"action":"start"}',
  });
  await waitFor(
    () =>
      (recordingServiceOf(server.tandem.ctx)
        ?.active(CLASS_ID)
        ?.rooms.flatMap((r) => [...r.tracks.values()])
        .filter((t) => t.process).length ?? 0) >=
      people * 2,
    { timeoutMs: 30_000, message: 'every track recorded' },
  );
  const withRecording = await measure(true);
  log(JSON.stringify(withRecording));
  console.log(
    JSON.stringify({ people, tracks: people * 2, windowMs, cpus: os.cpus().length, without, withRecording }),
  );
} finally {
  for (const peer of peers) peer.close();
  for (const feed of feeds) feed.stop();
  await server.stop();
  fs.rmSync(recordingsDir, { recursive: true, force: true });
}
