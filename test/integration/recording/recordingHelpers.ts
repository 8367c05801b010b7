// Shared steps of the recording tests: a media server recording into a temporary folder, a live session, a
// person publishing real media (ffmpeg test sources through werift), and downloading a recording's files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordingManifest, RecordingView } from '@tandem/shared';
import { recordingServiceOf } from '../../../server/src/recording/index.ts';
import type { StorageEngine } from '../../../server/src/storage/Storage.ts';
import { type EngineTestServer, startTestServerOn } from '../../helpers/engineServer.ts';
import { type FfmpegSource, startFfmpegSource } from '../../helpers/ffmpegRtp.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { type Caller, person } from '../classroom/classroomApi.ts';

export interface RecordingFixture {
  server: EngineTestServer;
  recordingsDir: string;
  staff: Caller;
  cleanup: (() => void)[];
}

/** Real class media: one mediasoup worker on loopback, free ports. */
export const MEDIA_ENV = {
  MEDIA_ENABLED: 'true',
  MEDIA_WORKERS: '1',
  RTC_PORT: '0',
  RTC_LISTEN_IP: '127.0.0.1',
};

export async function startRecordingServer(
  engine: StorageEngine = 'sqlite',
  env: Record<string, string> = {},
): Promise<RecordingFixture> {
  const recordingsDir = env.RECORDINGS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rec-'));
  const server = await startTestServerOn(engine, { ...MEDIA_ENV, RECORDINGS_DIR: recordingsDir, ...env });
  const { api } = await person(server, 'ines', 'instructor', 'rec1');
  return { server, recordingsDir, staff: api, cleanup: [] };
}

export async function liveSession(f: RecordingFixture, cls = 'rec1'): Promise<string> {
  const r = await f.staff<{ session: { id: string } }>('POST', `/api/classes/${cls}/sessions`, {
    startNow: true,
  });
  if (r.status !== 201) throw new Error(`session did not start: ${r.text}`);
  return r.body.session.id;
}

/** A person in the call with a real microphone (440 Hz tone) and camera (moving test pattern). */
export async function joinWithMedia(
  f: RecordingFixture,
  sub: string,
  sources: ('mic' | 'camera' | 'screen')[] = ['mic', 'camera'],
  cls = 'rec1',
): Promise<{ peer: WeriftMediaPeer; producers: Map<string, string>; feeds: FfmpegSource[] }> {
  const peer = await WeriftMediaPeer.join(f.server, { sub, role: 'instructor', cls });
  const producers = new Map<string, string>();
  const feeds: FfmpegSource[] = [];
  // Cleaned up even when a step below fails: a source left running would outlive the test.
  f.cleanup.push(() => {
    for (const feed of feeds) feed.stop();
    peer.close();
  });
  for (const source of sources) {
    const feed = await startFfmpegSource(source === 'mic' ? 'audio' : 'video');
    feeds.push(feed);
    const producer = await peer.publishTrack(source, feed.track);
    producers.set(source, producer.id);
    await waitFor(() => feed.packets() > 10, { timeoutMs: 20_000, message: `${source} media flowing` });
  }
  return { peer, producers, feeds };
}

export async function recordingAction(
  f: RecordingFixture,
  sessionId: string,
  action: 'start' | 'stop',
): Promise<RecordingManifest> {
  const r = await f.staff<{ recording: RecordingManifest }>('POST', `/api/sessions/${sessionId}/recording`, {
    action,
  });
  if (r.status !== 200) throw new Error(`recording ${action} failed: ${r.status} ${r.text}`);
  return r.body.recording;
}

export async function getRecording(f: RecordingFixture, id: string): Promise<RecordingView> {
  const r = await f.staff<{ recording: RecordingView }>('GET', `/api/recordings/${id}`);
  if (r.status !== 200) throw new Error(`GET recording failed: ${r.status} ${r.text}`);
  return r.body.recording;
}

/** Downloads a segment through its signed URL into a temporary file; returns its path. */
export async function download(f: RecordingFixture, url: string, name: string): Promise<string> {
  const res = await fetch(`${f.server.httpUrl}${url}`);
  if (res.status !== 200) throw new Error(`download failed: ${res.status} ${await res.text()}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-dl-')), name);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Lets the recording run until `ms` of media has been written (files grow meanwhile). */
export async function recordFor(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await waitFor(() => Date.now() >= until, { timeoutMs: ms + 5000, intervalMs: 50 });
}

/** The running recording's track recorders of a class (to kill a recorder process, as a fault). */
export function trackRecorders(f: RecordingFixture, cls = 'rec1') {
  const active = recordingServiceOf(f.server.tandem.ctx)?.active(cls);
  return active ? active.rooms.flatMap((room) => [...room.tracks.values()]) : [];
}
