// Prometheus metrics for the whole process, in one registry handed to each module.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m = {
    registry,
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
    messagesIn: new Counter({
      name: 'tandem_messages_in_total',
      help: 'WebSocket messages received',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    messagesOut: new Counter({
      name: 'tandem_messages_out_total',
      help: 'WebSocket messages sent',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    bytesIn: new Counter({
      name: 'tandem_bytes_in_total',
      help: 'WebSocket bytes received',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    bytesOut: new Counter({
      name: 'tandem_bytes_out_total',
      help: 'WebSocket bytes sent',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    updatesApplied: new Counter({
      name: 'tandem_updates_applied_total',
      help: 'Document updates accepted and logged',
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
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
