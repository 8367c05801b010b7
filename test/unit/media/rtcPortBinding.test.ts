// createWebRtcServerWithRetry with a stand-in worker: a port in use is retried with backoff and then
// either bound or reported with its holder and what to do; other listen errors fail at once.
import type { types as ms } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/src/logger.ts';
import {
  createWebRtcServerWithRetry,
  portInUse,
  RtcListenError,
} from '../../../server/src/media/rtcPortBinding.ts';

const log = createLogger('silent');
const IN_USE = "uv_udp_bind() failed [protocol:udp, ip:'127.0.0.1', port:40000]: address already in use";
const listenInfos: ms.TransportListenInfo[] = [
  { protocol: 'udp', ip: '127.0.0.1', port: 40000 },
  { protocol: 'tcp', ip: '127.0.0.1', port: 40000 },
];

/** A worker whose WebRtcServer creation fails with `errors` in turn, then succeeds. */
function workerFailing(errors: string[]): { worker: ms.Worker; attempts: () => number } {
  let attempts = 0;
  const server = { id: 'server' } as unknown as ms.WebRtcServer;
  const worker = {
    closed: false,
    async createWebRtcServer() {
      const error = errors[attempts++];
      if (error !== undefined) throw new Error(error);
      return server;
    },
  } as unknown as ms.Worker;
  return { worker, attempts: () => attempts };
}

describe('portInUse', () => {
  it('reads protocol, address and port from mediasoup’s bind error', () => {
    expect(portInUse(new Error(IN_USE))).toEqual({ protocol: 'udp', ip: '127.0.0.1', port: 40000 });
    expect(
      portInUse(new Error("uv_listen() failed [protocol:tcp, ip:'::', port:40001]: address already in use")),
    ).toEqual({ protocol: 'tcp', ip: '::', port: 40001 });
    expect(
      portInUse(
        new Error("uv_udp_bind() failed [protocol:udp, ip:'10.9.9.9', port:1]: address not available"),
      ),
    ).toBeUndefined();
  });
});

describe('createWebRtcServerWithRetry', () => {
  it('binds once the port is free again', async () => {
    const { worker, attempts } = workerFailing([IN_USE, IN_USE]);
    const server = await createWebRtcServerWithRetry(worker, {
      listenInfos,
      workerIndex: 0,
      retryMs: 5000,
      log,
    });
    expect(server.id).toBe('server');
    expect(attempts()).toBe(3);
  });

  it('gives up within the retry window, naming the port, its holder and what to do', async () => {
    const { worker, attempts } = workerFailing(Array(10).fill(IN_USE));
    const error = await createWebRtcServerWithRetry(worker, {
      listenInfos,
      workerIndex: 2,
      retryMs: 300,
      log,
      findHolder: (protocol, port) =>
        protocol === 'udp' && port === 40000 ? { pid: 4242, command: 'node old' } : undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtcListenError);
    expect(attempts()).toBe(2); // 250 ms fits in 300 ms; another 500 ms would not
    expect((error as Error).message).toMatch(
      /^media worker 2 cannot listen on 127\.0\.0\.1 port 40000 \(UDP\): the port is in use by process 4242 \(node old\), still after 0\.\d s of retrying \(RTC_BIND_RETRY_MS\)\. .*wait until it has exited and restart; otherwise stop it, or set RTC_PORT to a free port/,
    );
  });

  it('with RTC_BIND_RETRY_MS=0, reports a port in use at once, saying it was not retried', async () => {
    const { worker, attempts } = workerFailing([IN_USE]);
    const error = await createWebRtcServerWithRetry(worker, {
      listenInfos,
      workerIndex: 0,
      retryMs: 0,
      log,
      findHolder: () => undefined,
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('in use by another process, not retried (RTC_BIND_RETRY_MS)');
    expect(attempts()).toBe(1);
  });

  it('fails at once, without retrying, on a listen error that waiting cannot fix', async () => {
    const { worker, attempts } = workerFailing([
      "uv_udp_bind() failed [protocol:udp, ip:'10.9.9.9', port:40000]: address not available",
    ]);
    const error = await createWebRtcServerWithRetry(worker, {
      listenInfos,
      workerIndex: 0,
      retryMs: 5000,
      log,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtcListenError);
    expect((error as Error).message).toContain('set RTC_LISTEN_IP to an address of this machine');
    expect(attempts()).toBe(1);
  });

  it('stops waiting when the pool closes', async () => {
    const { worker, attempts } = workerFailing(Array(10).fill(IN_USE));
    const closing = new AbortController();
    const pending = createWebRtcServerWithRetry(worker, {
      listenInfos,
      workerIndex: 0,
      retryMs: 60_000,
      log,
      signal: closing.signal,
    }).catch((e: unknown) => e);
    closing.abort();
    expect(String(await pending)).toContain('closed while waiting for the RTC port');
    expect(attempts()).toBe(1);
  });
});
