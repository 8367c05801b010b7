// Prometheus metrics of the media module, registered in the process registry it is given.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface MediaCounts {
  workers: number;
  classes: number;
  /** Routers of the live calls: one per call, more for calls spread over workers. */
  routers: number;
  /** Producers piped to a spread Router. */
  pipes: number;
  peers: number;
  producers: { audio: number; video: number };
  consumers: number;
}

export function createMediaMetrics(registry: Registry, counts: () => MediaCounts) {
  const registers = [registry];
  new Gauge({
    name: 'tandem_media_workers',
    help: 'Live mediasoup workers',
    registers,
    collect() {
      this.set(counts().workers);
    },
  });
  new Gauge({
    name: 'tandem_media_classes',
    help: 'Classes with a live media Router',
    registers,
    collect() {
      this.set(counts().classes);
    },
  });
  new Gauge({
    name: 'tandem_media_routers',
    help: 'Routers of live calls (more than tandem_media_classes when a call spreads over workers)',
    registers,
    collect() {
      this.set(counts().routers);
    },
  });
  new Gauge({
    name: 'tandem_media_pipes',
    help: 'Producers piped (pipeToRouter) to the Routers of calls spread over workers',
    registers,
    collect() {
      this.set(counts().pipes);
    },
  });
  new Gauge({
    name: 'tandem_media_peers',
    help: 'Joined media peers',
    registers,
    collect() {
      this.set(counts().peers);
    },
  });
  new Gauge({
    name: 'tandem_media_producers',
    help: 'Producers by kind',
    labelNames: ['kind'],
    registers,
    collect() {
      const c = counts();
      this.set({ kind: 'audio' }, c.producers.audio);
      this.set({ kind: 'video' }, c.producers.video);
    },
  });
  new Gauge({
    name: 'tandem_media_consumers',
    help: 'Consumers across all peers',
    registers,
    collect() {
      this.set(counts().consumers);
    },
  });
  return {
    requests: new Counter({
      name: 'tandem_media_requests_total',
      help: 'Media signaling requests by method and outcome (ok or an error code)',
      labelNames: ['method', 'outcome'],
      registers,
    }),
    workerDeaths: new Counter({
      name: 'tandem_media_worker_deaths_total',
      help: 'mediasoup workers that died',
      registers,
    }),
    peersRejected: new Counter({
      name: 'tandem_media_join_rejected_total',
      help: 'Joins refused, by error code',
      labelNames: ['code'],
      registers,
    }),
  };
}

export type MediaMetrics = ReturnType<typeof createMediaMetrics>;
