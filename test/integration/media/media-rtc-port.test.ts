// A restart while the previous server still holds the RTC port: media waits for the port (retrying with
// backoff for RTC_BIND_RETRY_MS) and comes up once it is free; a port held for longer gives a clear error
// naming the port, its holder and what to do, while documents keep working.
import dgram from 'node:dgram';
import net from 'node:net';
import { CLOSE_CODES, MEDIA_STATUS_PATH } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { connectCollab } from '../../helpers/collabClient.ts';
import type { TestServer } from '../../helpers/server.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';

/** When the "previous server" lets go of the port in the first test: well inside the retry window. */
const RELEASE_AFTER_MS = 1500;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface HeldPort {
  port: number;
  release(): Promise<void>;
}

/** Holds one port on 127.0.0.1 for both UDP and TCP, as a WebRtcServer binds it. */
async function holdRtcPort(): Promise<HeldPort> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const { port } = udp.address();
    const tcp = net.createServer();
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening) {
      udp.close();
      continue;
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    };
    cleanups.push(release);
    return { port, release };
  }
  throw new Error('found no port free for both UDP and TCP');
}

async function readiness(server: TestServer) {
  const body = (await (await fetch(`${server.httpUrl}/readyz`)).json()) as {
    status: string;
    checks: Record<string, { ok: boolean; detail?: string }>;
  };
  return body;
}

async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startMediaServer(env);
  cleanups.push(() => server.stop());
  return server;
}

describe('RTC port still in use at startup', () => {
  it('retries until the previous holder lets go, then media works on that port', async () => {
    const held = await holdRtcPort();
    // The previous server's worker exits a moment after the new server starts.
    let releasedAtMs = Number.POSITIVE_INFINITY;
    const releaser = setTimeout(() => {
      releasedAtMs = Date.now();
      void held.release();
    }, RELEASE_AFTER_MS);
    cleanups.push(() => clearTimeout(releaser));

    const server = await start({ RTC_PORT: String(held.port), RTC_BIND_RETRY_MS: '15000' });
    expect((await readiness(server)).checks['optional:media']).toEqual({
      ok: true,
      detail: '1/1 mediasoup workers',
    });
    // Media could only bind the port once it was released: the startup waited for it.
    expect(Date.now(), 'media started before the port was released').toBeGreaterThanOrEqual(releasedAtMs);
    const status = await (await fetch(`${server.httpUrl}${MEDIA_STATUS_PATH}`)).json();
    expect(status).toEqual({ available: true });

    // Two people join; the transports are on the RTC port and audio flows from one to the other.
    const teacher = await WeriftMediaPeer.join(server, { sub: 'teacher', role: 'instructor', cls: 'port1' });
    const student = await WeriftMediaPeer.join(server, { sub: 'student', role: 'student', cls: 'port1' });
    cleanups.push(
      () => teacher.close(),
      () => student.close(),
    );
    const mic = await teacher.publish('mic');
    const received = await student.consume(mic.producerId);
    await waitFor(() => received.packets >= 10, { timeoutMs: 10_000, message: 'audio arrives' });
    const { iceCandidates } = await student.signal.request('createTransport', { direction: 'send' });
    expect(iceCandidates.map((c) => c.port)).toEqual([held.port, held.port]);
  });

  it('gives up after RTC_BIND_RETRY_MS, says who holds the port and what to do, and documents still work', async () => {
    const held = await holdRtcPort();
    const startedAtMs = Date.now();
    const server = await start({ RTC_PORT: String(held.port), RTC_BIND_RETRY_MS: '1200' });
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(750); // 250 + 500 ms of backoff, at least

    const body = await readiness(server);
    expect(body.status).toBe('ready');
    const media = body.checks['optional:media']!;
    expect(media.ok).toBe(false);
    expect(media.detail).toContain(`cannot listen on 127.0.0.1 port ${held.port} (UDP)`);
    // This test process holds it, and the server found that out.
    expect(media.detail).toContain(`in use by process ${process.pid} (`);
    expect(media.detail).toMatch(/still after \d+\.\d s of retrying/);
    expect(media.detail).toContain('wait until it has exited and restart');
    expect(media.detail).toContain('set RTC_PORT to a free port');
    expect(media.detail).not.toContain('setup.sh');

    const probe = await MediaSignalClient.connect(server.wsUrl);
    const close = await probe.waitForClose();
    expect(close.code).toBe(CLOSE_CODES.unavailable);
    expect(close.reason).toContain('media unavailable');

    // Documents are unaffected: two clients edit one and see each other's text.
    const token = await server.token({ sub: 'ana', role: 'instructor' });
    const a = connectCollab(server, 'class1/code/main', token);
    const b = connectCollab(server, 'class1/code/main', token);
    cleanups.push(
      () => a.destroy(),
      () => b.destroy(),
    );
    await a.synced();
    await b.synced();
    a.doc.getText('probe').insert(0, 'still editing');
    await waitFor(() => b.doc.getText('probe').toString() === 'still editing', {
      message: 'edit reaches the other client',
    });
  });
});
