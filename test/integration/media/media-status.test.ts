// GET /api/media/status, asked by the pre-join screen: available with a running worker; unavailable with a
// reason participants can read (and no operator details) when media is off or its worker could not start.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { MEDIA_STATUS_PATH, mediaStatusSchema } from '@tandem/shared';
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startMediaServer } from '../../helpers/weriftPeer.ts';

/** The status, with no keys beyond its schema's. */
const strictStatusSchema = v.strictObject(mediaStatusSchema.entries);

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function statusOf(server: TestServer) {
  // No token: anyone may ask before joining.
  const res = await fetch(`${server.httpUrl}${MEDIA_STATUS_PATH}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body: unknown = await res.json();
  return v.parse(strictStatusSchema, body);
}

describe('GET /api/media/status', () => {
  it('says media is available when a worker runs', async () => {
    const server = await startMediaServer();
    servers.push(server);
    expect(await statusOf(server)).toEqual({ available: true });
  });

  it('says media is turned off with MEDIA_ENABLED=false', async () => {
    const server = await startTestServer({ MEDIA_ENABLED: 'false' });
    servers.push(server);
    expect(await statusOf(server)).toEqual({
      available: false,
      reason: 'this server has video calls turned off',
      kind: 'disabled',
    });
  });

  it('says the media server did not start, without the operator details', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const server = await startMediaServer({ RTC_PORT: String(port) });
      servers.push(server);
      const status = await statusOf(server);
      expect(status).toEqual({
        available: false,
        reason: 'the media server did not start (the server log says why)',
        kind: 'failed',
      });
      // /readyz (for operators) has the details; the public status does not.
      const ready = await (await fetch(`${server.httpUrl}/readyz`)).text();
      expect(ready).toContain(String(port));
      expect(JSON.stringify(status)).not.toContain(String(port));
      expect(JSON.stringify(status)).not.toContain('setup.sh');
    } finally {
      blocker.close();
    }
  });

  it('says the media server stopped once it shut down', async () => {
    const server = await startMediaServer();
    servers.push(server);
    mediaServiceOf(server.tandem.ctx)!.close();
    expect(await statusOf(server)).toEqual({
      available: false,
      reason: 'the media server has stopped',
      kind: 'stopped',
    });
  });
});
