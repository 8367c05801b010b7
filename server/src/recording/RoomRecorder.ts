// Records one class call (a ClassRoom's Router): a TrackRecorder for every producer in it, those already there
// when recording starts and each new one (found through the Router's observer, so a person who reconnects is
// recorded again at once as a new track). Stopping ends every track and waits for their files.
import crypto from 'node:crypto';
import type { RecordingTrack, SegmentEndReason } from '@tandem/shared';
import type { types as ms } from 'mediasoup';
import type { Logger } from '../logger.ts';
import type { ClassRoom, ProducerAppData } from '../media/ClassRoom.ts';
import type { ManifestWriter } from './ManifestWriter.ts';
import { type RecorderSettings, TrackRecorder } from './TrackRecorder.ts';

export interface RoomRecorderDeps {
  room: ClassRoom;
  writer: ManifestWriter;
  settings: RecorderSettings;
  onWriteFailure(reason: string): void;
  log: Logger;
}

export class RoomRecorder {
  readonly tracks = new Map<string, TrackRecorder>();
  #stopped = false;
  readonly #onTransport = (transport: ms.Transport) => {
    transport.observer.on('newproducer', (producer) => this.#add(producer));
  };

  constructor(private readonly deps: RoomRecorderDeps) {}

  get room(): ClassRoom {
    return this.deps.room;
  }

  start(): void {
    const { room } = this.deps;
    room.router.observer.on('newtransport', this.#onTransport);
    for (const peer of room.peers.values()) {
      for (const { producer } of peer.producers.values()) this.#add(producer);
    }
  }

  /** Ends every track (their files final) and stops following the room. Idempotent. */
  async stop(reason: SegmentEndReason): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      this.deps.room.router.observer.off('newtransport', this.#onTransport);
    }
    await Promise.all([...this.tracks.values()].map((t) => t.end(reason)));
  }

  #add(producer: ms.Producer): void {
    if (this.#stopped || this.tracks.has(producer.id)) return;
    const { room, writer, settings, log } = this.deps;
    const { peerId, source } = producer.appData as Partial<ProducerAppData>;
    const peer = peerId ? room.peers.get(peerId) : undefined;
    if (!peer || !source) return;
    const codec = producer.rtpParameters.codecs.find((c) => !/\/rtx$/i.test(c.mimeType));
    if (!codec) return;
    const at = writer.offset();
    const track: RecordingTrack = writer.addTrack({
      id: crypto.randomBytes(6).toString('hex'),
      producerId: producer.id,
      userId: peer.identity.id,
      name: peer.identity.name,
      role: peer.identity.role,
      source,
      kind: producer.kind,
      codec: codec.mimeType,
      startOffsetMs: at,
      endOffsetMs: null,
      pauses: [],
      gaps: [],
      segments: [],
    });
    const recorder = new TrackRecorder({
      router: room.router,
      producer,
      track,
      writer,
      settings,
      onWriteFailure: (reason) => this.deps.onWriteFailure(reason),
      log: log.child({ trackId: track.id, source }),
    });
    this.tracks.set(producer.id, recorder);
    recorder.start();
  }
}
