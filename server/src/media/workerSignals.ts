// mediasoup's Worker closes itself when the Node process gets SIGINT or SIGTERM (a listener per worker, added
// when it is created). Tandem drains on those signals in order (app.ts shutdown hooks): recorders are
// finalized while their Routers still run, then calls close with 1001 "server shutting down", then documents
// are flushed and a cluster node's leases released. Left in place, mediasoup's listener closes the workers
// first, so every call ends as if its worker had died (`reconnect`, 4503 "the media server restarted") and
// recordings lose their media before they are finalized. The pool takes that listener off each worker and
// closes the workers itself when the media shutdown hook runs.
import type { types as ms } from 'mediasoup';

export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

type Listener = (...args: unknown[]) => void;
export interface SignalTarget {
  once(signal: string, listener: Listener): unknown;
  removeListener(signal: string, listener: Listener): unknown;
}

/** Takes mediasoup's close-on-signal listener off `worker`; false when mediasoup no longer has one. */
export function keepWorkerOnSignals(worker: ms.Worker, target: SignalTarget = process): boolean {
  // A private field of mediasoup's WorkerImpl (3.x): `onSignal = (signal) => this.close()`.
  const onSignal: unknown = Reflect.get(worker, 'onSignal');
  if (typeof onSignal !== 'function') return false;
  for (const signal of SHUTDOWN_SIGNALS) target.removeListener(signal, onSignal as Listener);
  return true;
}

/** Calls `listener` on the first SIGINT or SIGTERM; returns what stops listening. */
export function onShutdownSignal(listener: () => void, target: SignalTarget = process): () => void {
  const once = () => {
    stop();
    listener();
  };
  const stop = () => {
    for (const signal of SHUTDOWN_SIGNALS) target.removeListener(signal, once);
  };
  for (const signal of SHUTDOWN_SIGNALS) target.once(signal, once);
  return stop;
}
