// When media is off or its worker cannot start, the server still serves everything else, /readyz stays
// ready while reporting media as unavailable, and /media says why instead of hanging.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { mediaServiceOf } from '../../../server/src/media/index.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';
import { startServerProcess } from '../../helpers/serverProcess.ts';
import { startMediaServer } from '../../helpers/weriftPeer.ts';
import { MediaSignalClient } from '../../helpers/weriftSignal.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function readiness(server: TestServer) {
  const res = await fetch(`${server.httpUrl}/readyz`);
  const body = (await res.json()) as {
    status: string;
    checks: Record<string, { ok: boolean; detail?: string }>;
  };
  return { status: res.status, body };
}

async function mediaCloseOf(server: TestServer) {
  const client = await MediaSignalClient.connect(server.wsUrl);
  return client.waitForClose();
}

describe('media unavailable', () => {
  it('reports media disabled, stays ready, and closes /media with 4503', async () => {
    const server = await startTestServer({ MEDIA_ENABLED: 'false' });
    servers.push(server);
    const { status, body } = await readiness(server);
    expect(status).toBe(200);
    expect(body.checks['optional:media']).toEqual({
      ok: false,
      detail: expect.stringContaining('MEDIA_ENABLED=false'),
    });
    const close = await mediaCloseOf(server);
    expect(close.code).toBe(CLOSE_CODES.unavailable);
    expect(close.reason).toContain('media unavailable: disabled');
    expect(mediaServiceOf(server.tandem.ctx)?.available).toBe(false);
    expect(await mediaServiceOf(server.tandem.ctx)!.muteAll('any')).toBe(0);
  });

  it('keeps serving when the worker cannot listen on RTC_LISTEN_IP, and says which setting to fix', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine. A port in use is media-rtc-port.test.ts.
    const server = await startMediaServer({ RTC_LISTEN_IP: '192.0.2.1' });
    servers.push(server);
    const { status, body } = await readiness(server);
    expect(status).toBe(200);
    const media = body.checks['optional:media']!;
    expect(media.ok).toBe(false);
    expect(media.detail).toContain('cannot listen on 192.0.2.1 a free port');
    expect(media.detail).toContain('address not available');
    expect(media.detail).toContain('set RTC_LISTEN_IP to an address of this machine');
    // Rebuilding would not help, so it is not suggested.
    expect(media.detail).not.toContain('setup.sh');
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    expect((await mediaCloseOf(server)).code).toBe(CLOSE_CODES.unavailable);
  });

  it('says at startup that the worker binary is missing and how to build it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-media-'));
    const proc = await startServerProcess({
      MEDIA_ENABLED: 'true',
      MEDIASOUP_WORKER_BIN: path.join(dataDir, 'no-such-worker'),
      DATA_DIR: dataDir,
      AUTH_SECRET: 'x'.repeat(40),
    });
    try {
      expect(proc.output()).toContain('the mediasoup worker binary is missing');
      expect(proc.output()).toContain('run scripts/setup.sh');
      const body = (await (await fetch(`${proc.url}/readyz`)).json()) as {
        status: string;
        checks: Record<string, { ok: boolean }>;
      };
      expect(body.status).toBe('ready');
      expect(body.checks['optional:media']?.ok).toBe(false);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it('reports live workers when media runs', async () => {
    const server = await startMediaServer();
    servers.push(server);
    const { body } = await readiness(server);
    expect(body.checks['optional:media']).toEqual({ ok: true, detail: '1/1 mediasoup workers' });
  });
});
