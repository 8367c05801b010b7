// Creates a worker's WebRtcServer on its RTC port. A port still in use is retried with backoff for a
// bounded time (RTC_BIND_RETRY_MS): right after a restart the previous server's mediasoup worker may still
// hold it for a few seconds. When the port stays taken, or cannot be bound for another reason, the error
// says which port, who holds it when that can be known, and what to do.
import { setTimeout as delay } from 'node:timers/promises';
import type { types as ms } from 'mediasoup';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { findPortHolder, type PortHolder } from './portHolder.ts';

/** Waits between attempts; the last one repeats until the retry window is spent. */
export const BIND_RETRY_DELAYS_MS = [250, 500, 1000, 2000] as const;

/** The RTC port could not be bound: a listen problem, not a missing or broken worker build. */
export class RtcListenError extends AppError {
  override name = 'RtcListenError';
}

export interface PortInUse {
  protocol: 'udp' | 'tcp';
  ip: string;
  port: number;
}

export interface BindOptions {
  listenInfos: ms.TransportListenInfo[];
  workerIndex: number;
  /** How long to keep retrying a port in use; 0 fails at once. */
  retryMs: number;
  log: Logger;
  /** Aborted when the pool closes: stop waiting. */
  signal?: AbortSignal;
  findHolder?: (protocol: 'udp' | 'tcp', port: number) => PortHolder | undefined;
}

export async function createWebRtcServerWithRetry(
  worker: ms.Worker,
  options: BindOptions,
): Promise<ms.WebRtcServer> {
  const { listenInfos, workerIndex, retryMs, log, signal, findHolder = findPortHolder } = options;
  const startedAt = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await worker.createWebRtcServer({ listenInfos });
    } catch (error) {
      if (worker.closed) throw error;
      const inUse = portInUse(error);
      if (!inUse) throw new RtcListenError('unavailable', cannotListen(workerIndex, listenInfos, error));
      const waitMs = BIND_RETRY_DELAYS_MS[Math.min(attempt, BIND_RETRY_DELAYS_MS.length - 1)]!;
      const elapsedMs = Date.now() - startedAt;
      if (elapsedMs + waitMs > retryMs) {
        const holder = findHolder(inUse.protocol, inUse.port);
        throw new RtcListenError('unavailable', stillInUse(workerIndex, inUse, holder, attempt, elapsedMs));
      }
      log.warn(
        { ...inUse, workerIndex, attempt: attempt + 1, retryInMs: waitMs, retryForMs: retryMs },
        'RTC port in use (a previous server still shutting down?); retrying',
      );
      await delay(waitMs, undefined, signal ? { signal } : {}).catch(() => {
        throw new AppError('unavailable', 'media worker pool closed while waiting for the RTC port');
      });
    }
  }
}

/** mediasoup reports e.g. "uv_udp_bind() failed [protocol:udp, ip:'127.0.0.1', port:40000]: address already in use". */
export function portInUse(error: unknown): PortInUse | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/address already in use/i.test(message)) return undefined;
  const match = message.match(/protocol:(udp|tcp), ip:'([^']*)', port:(\d+)/);
  if (!match) return undefined;
  return { protocol: match[1] as 'udp' | 'tcp', ip: match[2]!, port: Number(match[3]) };
}

function stillInUse(
  workerIndex: number,
  { protocol, ip, port }: PortInUse,
  holder: PortHolder | undefined,
  retries: number,
  elapsedMs: number,
): string {
  const by = holder ? `process ${holder.pid} (${holder.command})` : 'another process';
  const tried = retries > 0 ? `still after ${(elapsedMs / 1000).toFixed(1)} s of retrying` : 'not retried';
  return (
    `media worker ${workerIndex} cannot listen on ${ip} port ${port} (${protocol.toUpperCase()}): the port is ` +
    `in use by ${by}, ${tried} (RTC_BIND_RETRY_MS). If that is a previous ` +
    'server still shutting down, wait until it has exited and restart; otherwise stop it, or set RTC_PORT to ' +
    'a free port (worker i uses RTC_PORT + i, UDP and TCP)'
  );
}

function cannotListen(workerIndex: number, listenInfos: ms.TransportListenInfo[], error: unknown): string {
  const first = listenInfos[0];
  const where = `${first?.ip ?? '?'} ${first?.port ? `port ${first.port}` : 'a free port'}`;
  return (
    `media worker ${workerIndex} cannot listen on ${where} (UDP+TCP): ${(error as Error).message}; ` +
    'set RTC_LISTEN_IP to an address of this machine and RTC_PORT to a free port'
  );
}
