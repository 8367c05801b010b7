// Issue #10 points 1 and 5 on /media: a socket that never joins is closed within the authentication deadline,
// bad tokens from one address are backed off (join refused with rate_limited, close 4429), the per-user socket
// cap holds across media connections, and a request that throws past its handler closes only its socket.
import { CLOSE_CODES, MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import type { Counter } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../../helpers/server.ts';
import { startMediaServer, WeriftMediaPeer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';

const AUTH_TIMEOUT_MS = 500;
let server: TestServer;
const cleanup: { close(): void }[] = [];

beforeEach(async () => {
  server = await startMediaServer({
    AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS),
    AUTH_FAILURE_BURST: '2',
    AUTH_FAILURES_PER_MIN: '1',
    MAX_SOCKETS_PER_USER: '1',
  });
});
afterEach(async () => {
  for (const c of cleanup.splice(0)) c.close();
  await server.stop();
});

async function connect(): Promise<MediaSignalClient> {
  const client = await MediaSignalClient.connect(server.wsUrl);
  cleanup.push(client);
  return client;
}

describe('/media admission', () => {
  it('a socket that never joins → 4401 within the deadline', async () => {
    const startedAt = Date.now();
    const client = await connect();
    expect(await client.waitForClose()).toMatchObject({ code: CLOSE_CODES.unauthorized });
    expect(Date.now() - startedAt).toBeLessThan(AUTH_TIMEOUT_MS + 1500);
  });

  it('bad tokens from one address are backed off with 4429', async () => {
    for (let i = 0; i < 2; i++) {
      const client = await connect();
      const reply = await client.requestRaw({ method: 'join', data: joinData('not-a-token') });
      expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const blocked = await connect();
    const reply = await blocked.requestRaw({ method: 'join', data: joinData('still-not-a-token') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await blocked.waitForClose()).toMatchObject({ code: CLOSE_CODES.rateLimited });
  });

  it('a second media socket of the same user is refused with 4429', async () => {
    const first = await WeriftMediaPeer.join(server, { sub: 'stu', role: 'student', cls: 'class1' });
    cleanup.push(first);
    const second = await connect();
    const token = await server.token({ sub: 'stu', role: 'student' });
    const reply = await second.requestRaw({ method: 'join', data: joinData(token) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await second.waitForClose()).toMatchObject({ code: CLOSE_CODES.rateLimited });
  });
});

describe('/media last line of defence', () => {
  it('a request that throws past its handler closes that socket with 1011; others are served', async () => {
    const requests = server.tandem.ctx.metrics.registry.getSingleMetric(
      'tandem_media_requests_total',
    ) as Counter;
    const inc = requests.inc.bind(requests);
    requests.inc = (() => {
      requests.inc = inc;
      throw new TypeError('injected failure');
    }) as typeof requests.inc;
    const victim = await connect();
    // Refused before join: the refusal is counted, and the counter throws.
    void victim.requestRaw({ method: 'createTransport', data: { direction: 'send' } });
    expect(await victim.waitForClose()).toMatchObject({ code: CLOSE_CODES.internal });
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toContain('tandem_connection_errors_total{endpoint="media"} 1');
    const other = await connect();
    expect(await other.requestRaw({ method: 'ping' })).toMatchObject({ ok: true });
  });
});

function joinData(token: string) {
  return {
    protocol: MEDIA_PROTOCOL_VERSION,
    classId: 'class1',
    token,
    rtpCapabilities: { codecs: [], headerExtensions: [] },
  };
}
