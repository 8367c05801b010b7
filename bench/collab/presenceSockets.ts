// Presence over real sockets: one document, N WebSocket clients (default 200) that each send a Tandem-sized
// cursor state a few times a second; the server's CPU from /proc. Tandem's presence path against the same server
// with awareness patched back onto Hocuspocus's own path (tandem-patched, `presence-via-hocuspocus`: scratch
// Y.Doc per message, a broadcast per event-loop turn, the same presence policy in its hook).
//   npx node --import tsx bench/collab/presenceSockets.ts [clients, default 200] [updates/s per client, default 2]
//     [seconds, default 10] [rounds, default 2]
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { cpuDelta, readCpu } from './procStats.ts';
import { median } from './rounds.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from './serverProcess.ts';

const CLIENTS = Number(process.argv[2] ?? 200);
const RATE = Number(process.argv[3] ?? 2);
const SECONDS = Number(process.argv[4] ?? 10);
const ROUNDS = Number(process.argv[5] ?? 2);
const DOC = `${BENCH_CLASS_ID}/code/presence`;
const ROOT = path.resolve(import.meta.dirname, '../..');

type Variant = 'presence path' | 'hocuspocus path';

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify(state));
  return frame(1, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(update)));
}

function cursorState(i: number, seq: number) {
  const rel = (clock: number) => ({
    type: { client: 1, clock: 0 },
    tname: null,
    item: { client: 2, clock },
    assoc: 0,
  });
  return {
    file: 'main.ts',
    scroll: { top: seq * 3, line: seq % 200 },
    followMe: false,
    following: null,
    idle: false,
    media: { mic: false, cam: false, screen: false },
    pointer: null,
    view: 'editor',
    selection: { anchor: rel(seq + i), head: rel(seq + i + 1) },
  };
}

interface Client {
  ws: WebSocket;
  clientId: number;
  clock: number;
  received: number;
}

async function connect(origin: string, i: number): Promise<Client> {
  const token = await mintToken(BENCH_AUTH_SECRET, {
    sub: `s${i}`,
    name: `Student ${i}`,
    cls: BENCH_CLASS_ID,
    role: 'student',
  });
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/collab`, { perMessageDeflate: false });
  const client: Client = { ws, clientId: 1_000_000 + i, clock: 0, received: 0 };
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(
        frame(2, (e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, token);
        }),
      );
      // Sync step 1 with an empty state vector, as a provider sends; its answer means the connection is set up.
      ws.send(
        frame(0, (e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint8Array(e, new Uint8Array([0]));
        }),
      );
    });
    ws.on('message', (data: Buffer) => {
      client.received++;
      // The first sync message back (type 0 after the address) means the document connection is established.
      if (data[1 + data[0]!] === 0) resolve();
    });
  });
  return client;
}

async function measure(variant: Variant) {
  const server = await startServer(variant === 'presence path' ? 'tandem' : 'tandem-patched', {
    root: ROOT,
    nodeArgs: [],
    // A flood limit and presence rate well above this load: the bench measures handling, not refusals.
    tandemEnv: { RATE_LIMIT_MESSAGES_PER_SEC: '1000', PRESENCE_UPDATES_PER_SEC: '100' },
    patches: variant === 'presence path' ? [] : ['presence-via-hocuspocus'],
  });
  try {
    const clients: Client[] = [];
    for (let i = 0; i < CLIENTS; i++) clients.push(await connect(server.origin, i));
    // Everyone announces itself once, then the window starts.
    for (const c of clients) c.ws.send(awarenessFrame(c.clientId, ++c.clock, cursorState(0, c.clock)));
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of clients) c.received = 0;
    const total = CLIENTS * RATE * SECONDS;
    const before = readCpu(server.pid);
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * CLIENTS * RATE));
        for (; sent < due; sent++) {
          const c = clients[sent % CLIENTS]!;
          c.clock++;
          c.ws.send(awarenessFrame(c.clientId, c.clock, cursorState(sent % CLIENTS, c.clock)));
        }
        if (sent === total) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => setTimeout(r, 300));
    const cpu = cpuDelta(before, readCpu(server.pid));
    const received = clients.reduce((n, c) => n + c.received, 0);
    for (const c of clients) c.ws.close();
    return {
      corePct: cpu.corePct,
      usPerUpdate: (cpu.cpuSec * 1e6) / total,
      framesInPerSec: received / cpu.wallSec,
    };
  } finally {
    await server.stop();
  }
}

const variants: Variant[] = ['hocuspocus path', 'presence path'];
const results = new Map<Variant, Awaited<ReturnType<typeof measure>>[]>(variants.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const v of variants) results.get(v)!.push(await measure(v));
}
console.log(
  `${CLIENTS} sockets in one document, ${RATE} cursor updates/s each, ${SECONDS} s, ${ROUNDS} rounds (median)`,
);
const base = median(results.get('hocuspocus path')!.map((r) => r.usPerUpdate));
for (const [v, rs] of results) {
  const us = median(rs.map((r) => r.usPerUpdate));
  console.log(
    `${v.padEnd(16)} server ${median(rs.map((r) => r.corePct))
      .toFixed(1)
      .padStart(5)} % of a core  ` +
      `${us.toFixed(0).padStart(5)} µs/update  ${(us / base).toFixed(2)}x  ` +
      `${Math.round(median(rs.map((r) => r.framesInPerSec)))
        .toLocaleString('en')
        .padStart(7)} frames to clients/s`,
  );
}
process.exit(0);
