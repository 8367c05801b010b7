// mediasoup adds a close-on-SIGINT/SIGTERM listener per worker, which would close the workers before the
// server's ordered drain (server/src/media/workerSignals.ts). Against a real worker: the listener is there
// and keepWorkerOnSignals takes it off (so a mediasoup upgrade that renames it fails here); onShutdownSignal
// fires once on either signal. The drain itself: test/integration/cluster/media.test.ts (SIGTERM to a node).
import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { keepWorkerOnSignals, onShutdownSignal } from '../../../server/src/media/workerSignals.ts';

describe('media workers and shutdown signals', () => {
  it('takes mediasoup’s close-on-signal listeners off a real worker', async () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const worker = await mediasoup.createWorker({ logLevel: 'error' });
    try {
      expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
      expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
      expect(keepWorkerOnSignals(worker)).toBe(true);
      expect(process.listenerCount('SIGINT')).toBe(before.int);
      expect(process.listenerCount('SIGTERM')).toBe(before.term);
      expect(worker.closed).toBe(false);
    } finally {
      worker.close();
    }
  });

  it('tells its listener once, on the first of SIGINT and SIGTERM, and can stop listening', () => {
    const target = new EventEmitter();
    let calls = 0;
    onShutdownSignal(() => calls++, target);
    target.emit('SIGTERM');
    target.emit('SIGINT');
    expect(calls).toBe(1);
    expect(target.listenerCount('SIGINT') + target.listenerCount('SIGTERM')).toBe(0);
    const stop = onShutdownSignal(() => calls++, target);
    stop();
    target.emit('SIGINT');
    expect(calls).toBe(1);
  });
});
