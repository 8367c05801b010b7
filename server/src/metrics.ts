// Prometheus metrics for the whole process, in one registry handed to each module.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const EVENT_LOOP_SAMPLE_MS = 100;

export function createMetrics() {
  const registry = new Registry();
  // Hot-path counts kept as plain numbers and handed to prom-client when scraped.
  const counts = {
    updatesApplied: 0,
    updatesDirect: 0,
    /** Updates sent before their document's Auth, left to the sync handshake (collab/preAuthUpdates.ts). */
    updatesBeforeAuth: 0,
    /** Messages to a socket that waited for their document's updates to be durable (collab/durableRelay.ts). */
    heldUntilDurable: 0,
    /** Joiners with nothing yet (server/src/collab/SharedFullStates.ts). */
    fullSyncs: { shared: 0, encoded: 0, stored: 0 },
    presence: presenceCounts(),
  };
  // Event-loop lag sampled 10 times a second: prom-client's default (every 10 ms) wakes an idle server
  // 100 times a second, which costs more CPU than all the rest of an idle server does.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const m = {
    registry,
    counts,
    connections: new Gauge({
      name: 'tandem_ws_connections',
      help: 'Open WebSocket connections',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    documentsLoaded: new Gauge({
      name: 'tandem_documents_loaded',
      help: 'Documents loaded in memory',
      registers: [registry],
    }),
    ...trafficCounters(registry),
    updatesApplied: plainCounter(
      registry,
      'tandem_updates_applied_total',
      'Document updates accepted and logged',
      () => counts.updatesApplied,
    ),
    updatesDirect: plainCounter(
      registry,
      'tandem_updates_direct_total',
      "Client updates applied without Hocuspocus's per-message pipeline (see docs/collab.md)",
      () => counts.updatesDirect,
    ),
    updatesBeforeAuth: plainCounter(
      registry,
      'tandem_updates_before_auth_total',
      "Updates a client sent before its document's Auth (an offline queue), dropped: the sync handshake carries them",
      () => counts.updatesBeforeAuth,
    ),
    heldUntilDurable: plainCounter(
      registry,
      'tandem_messages_held_until_durable_total',
      "Acknowledgements and document content sent to a socket only once the document's updates were durable (PostgreSQL group commit)",
      () => counts.heldUntilDurable,
    ),
    fullSyncsShared: plainCounter(
      registry,
      'tandem_full_syncs_shared_total',
      "Joiners with nothing yet answered with another joiner's encoding of the document (docs/collab.md, Joining)",
      () => counts.fullSyncs.shared,
    ),
    fullSyncsEncoded: plainCounter(
      registry,
      'tandem_full_syncs_encoded_total',
      'Whole-document encodings made for joiners with nothing yet',
      () => counts.fullSyncs.encoded,
    ),
    fullSyncsStored: plainCounter(
      registry,
      'tandem_full_syncs_stored_total',
      'Joiners with nothing yet sent the stored state while their document loaded (docs/collab.md, Joining)',
      () => counts.fullSyncs.stored,
    ),
    ...presenceCounters(registry, counts.presence),
    updatesRefused: new Counter({
      name: 'tandem_updates_refused_total',
      help: 'Client updates refused before reaching a document, by refusal code (shared/src/updateRefusals.ts)',
      labelNames: ['code'],
      registers: [registry],
    }),
    storeSeconds: new Histogram({
      name: 'tandem_store_seconds',
      help: 'Time to write to the database',
      labelNames: ['op'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'tandem_auth_failures_total',
      help: 'Rejected tokens and permission denials',
      labelNames: ['reason'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'tandem_errors_total',
      help: 'Errors by code',
      labelNames: ['code', 'where'],
      registers: [registry],
    }),
    connectionErrors: new Counter({
      name: 'tandem_connection_errors_total',
      help: 'Exceptions while handling one connection or request (only that one was closed)',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    processErrors: new Counter({
      name: 'tandem_process_errors_total',
      help: 'Exceptions no handler caught (uncaught_exception, unhandled_rejection)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'tandem_refusals_total',
      help: 'Connections and requests refused by a limit or deadline',
      labelNames: ['reason'],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'tandem_webhook_deliveries_total',
      help: 'Webhook attempts by outcome: delivered, retried (failed, another attempt is due), failed (none left)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    clusterBusDropped: new Counter({
      name: 'tandem_cluster_bus_dropped_total',
      help: 'Messages from other cluster nodes dropped unread: too_large, not_json or invalid',
      labelNames: ['reason'],
      registers: [registry],
    }),
    runEvents: new Counter({
      name: 'tandem_run_events_total',
      help: 'Run events (code run in a browser) relayed to the room, or refused by reason',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A counter whose value is a plain number kept by the hot path, read when /metrics is scraped. */
function plainCounter(registry: Registry, name: string, help: string, value: () => number) {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(value());
    },
  });
}

/** Presence path counts (server/src/collab/presence), plain numbers on the hot path. */
function presenceCounts() {
  return {
    applied: 0,
    framesSent: 0,
    /** Awareness frames refused whole (malformed): the socket was closed. */
    refused: 0,
    dropped: { foreign: 0, owned_limit: 0, oversize: 0, throttled: 0 },
  };
}

function presenceCounters(registry: Registry, presence: ReturnType<typeof presenceCounts>) {
  return {
    presenceApplied: plainCounter(
      registry,
      'tandem_presence_applied_total',
      'Awareness states accepted from clients',
      () => presence.applied,
    ),
    presenceFrames: plainCounter(
      registry,
      'tandem_presence_frames_total',
      'Merged awareness frames sent (one per document and merge interval)',
      () => presence.framesSent,
    ),
    presenceRefused: plainCounter(
      registry,
      'tandem_presence_refused_total',
      'Malformed awareness frames (socket closed with 4400)',
      () => presence.refused,
    ),
    presenceDropped: new Counter({
      name: 'tandem_presence_dropped_total',
      help: 'Awareness entries dropped: foreign client id, too many ids, oversize state, over the rate (delayed)',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(presence.dropped)) this.inc({ reason }, n);
      },
    }),
  };
}

/** Per-endpoint WebSocket traffic, counted in plain numbers on the hot path. */
export interface Traffic {
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Message and byte counters touched for every frame. prom-client hashes labels on every inc(), even on a
 * bound child, so the hot path adds to plain numbers (`traffic(endpoint)`) and the counters read them
 * when scraped.
 */
function trafficCounters(registry: Registry) {
  const byEndpoint = new Map<string, Traffic>();
  const traffic = (endpoint: string): Traffic => {
    let t = byEndpoint.get(endpoint);
    if (!t) {
      t = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
      byEndpoint.set(endpoint, t);
    }
    return t;
  };
  const counter = (name: string, help: string, field: keyof Traffic) =>
    new Counter({
      name,
      help,
      labelNames: ['endpoint'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [endpoint, t] of byEndpoint) this.inc({ endpoint }, t[field]);
      },
    });
  return {
    traffic,
    messagesIn: counter('tandem_messages_in_total', 'WebSocket messages received', 'messagesIn'),
    messagesOut: counter('tandem_messages_out_total', 'WebSocket messages sent', 'messagesOut'),
    bytesIn: counter('tandem_bytes_in_total', 'WebSocket bytes received', 'bytesIn'),
    bytesOut: counter('tandem_bytes_out_total', 'WebSocket bytes sent', 'bytesOut'),
  };
}
