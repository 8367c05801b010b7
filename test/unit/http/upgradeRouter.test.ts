// The upgrade router on a real HTTP server and real WebSockets: an open socket does not keep its upgrade request
// (with its headers) alive, and its admission slot is freed when it closes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createUpgradeRouter } from '../../../server/src/http/upgrades.ts';
import type { Logger } from '../../../server/src/logger.ts';
import { Admission } from '../../../server/src/net/Admission.ts';
import { createClientAddress } from '../../../server/src/net/clientAddress.ts';
import { createConnectionGuard } from '../../../server/src/net/connectionGuard.ts';
import { waitFor } from '../../helpers/waitFor.ts';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

const quiet = { error() {}, debug() {}, info() {}, warn() {} } as unknown as Logger;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function routerServer() {
  const admission = new Admission({
    maxSocketsPerAddress: 10,
    maxSocketsPerUser: 10,
    addressMessagesPerSec: 100,
    addressBurst: 100,
    userMessagesPerSec: 100,
    userBurst: 100,
  });
  const router = createUpgradeRouter({
    guard: createConnectionGuard(quiet, () => {}),
    admission,
    clientAddress: createClientAddress([]),
  });
  const wss = new WebSocketServer({ noServer: true });
  const requests: WeakRef<http.IncomingMessage>[] = [];
  router.on('/x', (req, socket, head) => {
    requests.push(new WeakRef(req));
    wss.handleUpgrade(req, socket, head, () => {});
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => router.handle(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const ws of wss.clients) ws.terminate();
    server.close();
  });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
  return { admission, requests, url };
}

describe('upgrade router', () => {
  it('keeps no upgrade request alive for an open socket, and frees its slot when it closes', async () => {
    const { admission, requests, url } = await routerServer();
    const client = new WebSocket(url, { headers: { 'x-padding': 'p'.repeat(4000) } });
    await new Promise((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    expect(admission.socketsFrom('127.0.0.1')).toBe(1);
    await waitFor(
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
        return requests[0]?.deref() === undefined;
      },
      { timeoutMs: 3000, message: 'the upgrade request of an open socket was collected' },
    );
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
    await waitFor(() => admission.socketsFrom('127.0.0.1') === 0, { message: 'slot freed on close' });
  });
});
