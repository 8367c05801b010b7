// `npm run bench:stall`: the worst event-loop delay one participant can cause. Starts the real server in a child
// process; a bystander in the same class types one character every 20 ms and times each acknowledgement, while
// an attacker sends the worst frames the limits allow: the largest message as one insert, the same size as
// thousands of small inserts, as a deep delete set, as the costliest delete set under MAX_UPDATE_OPERATIONS, and as a
// flood of small updates at the message-rate limit. Refusals (update_too_costly and others) are reported per attack.
// Reported per attack: the bystander's worst and p99 round trip, and the server's own worst event-loop delay
// (perf_hooks' monitorEventLoopDelay, read from /metrics), next to the same with nobody attacking.
//   npm run bench:stall -- [--max-message-bytes N]... (each value is one server run; default: 8 MiB and the default)
//   STALL_PROF=1 npm run bench:stall   also writes the server's CPU profile to /tmp/prof (bench/collab/profileSummary.ts reads it)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { MessageType } from '@hocuspocus/server';
import { decodeCollabNotice } from '@tandem/shared';
import * as encoding from 'lib0/encoding';
import { messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { checkUpdate } from '../../server/src/collab/updateValidation.ts';
import { loadConfig } from '../../server/src/config.ts';
import { metricValue, readMetrics } from './serverMemory.ts';
import { BENCH_AUTH_SECRET, startServer } from './serverProcess.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLASS_ID = 'stall';
const DOC = `${CLASS_ID}/code/main`;
const PROBE_EVERY_MS = 20;
const WINDOW_MS = 3000;

interface Client {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  closed(): string | undefined;
  /** The code of the first update refusal the server sent, if any. */
  refused(): string | undefined;
  destroy(): void;
}

async function connect(url: string, name: string, token: string): Promise<Client> {
  let closed: string | undefined;
  let refused: string | undefined;
  const socket = new HocuspocusProviderWebsocket({
    url,
    maxAttempts: 1,
    onClose: ({ event }) => {
      closed ??= `${event.code} ${event.reason}`;
    },
  });
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
  provider.on('stateless', ({ payload }: { payload: string }) => {
    const notice = decodeCollabNotice(payload);
    if (notice?.type === 'updateRefused') refused ??= notice.code;
  });
  provider.attach();
  const deadline = Date.now() + 10_000;
  while (!provider.isSynced) {
    if (closed || Date.now() > deadline) throw new Error(`${name}: not synced (${closed ?? 'timeout'})`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    doc,
    provider,
    socket,
    closed: () => closed,
    refused: () => refused,
    destroy() {
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}

/** One probe keystroke, waited for: everything the server received before it has been handled. */
async function probeOnce(client: Client): Promise<void> {
  client.doc.getText('probe').insert(0, 'p');
  const deadline = Date.now() + 120_000;
  while (client.provider.unsyncedChanges > 0) {
    if (Date.now() > deadline) throw new Error('server did not acknowledge a probe in 120 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Types one character every PROBE_EVERY_MS and records each acknowledgement's round trip, until stopped. */
function probe(client: Client): { stop(): Promise<number[]> } {
  const rtts: number[] = [];
  let running = true;
  const text = client.doc.getText('probe');
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      text.insert(0, 'p');
      while (client.provider.unsyncedChanges > 0 && running) await new Promise((r) => setImmediate(r));
      rtts.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return rtts;
    },
  };
}

/** Frames one attacker sends: `setup` before the measured window (and waited for), `attack` inside it. */
interface AttackFrames {
  setup: Uint8Array[];
  attack: Uint8Array[];
}

/** A Hocuspocus sync-update frame for DOC carrying `update`, as a provider would send it. */
function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, DOC);
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, messageYjsUpdate);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** The update `edit` makes on a fresh document, built with `n` scaled so that it is just under `bytes`. */
function sized(bytes: number, edit: (doc: Y.Doc, n: number) => void, seed: Y.Doc | null = null): Uint8Array {
  const budget = bytes - 64;
  let n = 1000;
  for (;;) {
    const doc = new Y.Doc();
    if (seed) Y.applyUpdate(doc, Y.encodeStateAsUpdate(seed));
    const before = Y.encodeStateVector(doc);
    edit(doc, n);
    const update = Y.encodeStateAsUpdate(doc, before);
    if (update.length <= budget && update.length > budget * 0.9) return update;
    n = Math.max(1, Math.floor((n * budget * 0.95) / update.length));
  }
}

/** An update of no structs whose delete set is `ranges` one-character ranges (every other clock from 0). */
function deleteSet(client: number, ranges: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // delete set: one client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, ranges);
  for (let i = 0; i < ranges; i++) {
    encoding.writeVarUint(e, 2 * i);
    encoding.writeVarUint(e, 1);
  }
  return encoding.toUint8Array(e);
}

/** The shapes of update that cost the server the most per byte, each as large as the limit allows. */
const ATTACKS: { name: string; frames(bytes: number): AttackFrames }[] = [
  {
    name: 'one insert of the largest message',
    frames: (bytes) => ({
      setup: [],
      attack: [updateFrame(sized(bytes, (doc, n) => doc.getText('big').insert(0, 'x'.repeat(n))))],
    }),
  },
  {
    name: 'small inserts filling the largest message',
    frames: (bytes) => ({
      setup: [],
      // One-character inserts, each at the front: each is its own item.
      attack: [
        updateFrame(
          sized(bytes, (doc, n) => {
            const text = doc.getText('many');
            doc.transact(() => {
              for (let i = 0; i < n; i++) text.insert(0, 'y');
            });
          }),
        ),
      ],
    }),
  },
  {
    name: 'deep delete set filling the largest message',
    frames(bytes) {
      // The characters first (their own messages, before the window), then one update that deletes every other
      // one: no structs, a delete set of one-item ranges, encoded directly (Yjs would take minutes to build it).
      const ranges = Math.floor((bytes - 64) / 5);
      const base = new Y.Doc();
      const n = 2 * ranges;
      const chunk = Math.floor(bytes / 2);
      const setup: Uint8Array[] = [];
      for (let at = 0; at < n; at += chunk) {
        const before = Y.encodeStateVector(base);
        base.getText('dels').insert(at, 'z'.repeat(Math.min(chunk, n - at)));
        setup.push(updateFrame(Y.encodeStateAsUpdate(base, before)));
      }
      return { setup, attack: [updateFrame(deleteSet(base.clientID, ranges))] };
    },
  },
  {
    name: 'splitting delete set at the operation limit',
    frames(bytes) {
      // The costliest delete set the server accepts: one-character ranges over a long item, as many as the
      // default MAX_UPDATE_OPERATIONS allows (found with the server's own estimate on a copy of the document).
      const limit = loadConfig({}).limits.maxUpdateOperations;
      const base = new Y.Doc();
      const chars = Math.min(200_000, Math.floor(bytes / 2));
      base.getText('limit').insert(0, 'z'.repeat(chars));
      const setup = [updateFrame(Y.encodeStateAsUpdate(base))];
      const deletes = (n: number) => deleteSet(base.clientID, n);
      const cost = (n: number) => {
        const verdict = checkUpdate(base, deletes(n), 'bench', { ownerOf: () => undefined });
        return verdict.ok ? verdict.operations : Number.POSITIVE_INFINITY;
      };
      let lo = 1;
      let hi = Math.floor(chars / 2) - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (cost(mid) <= limit) lo = mid;
        else hi = mid - 1;
      }
      return { setup, attack: [updateFrame(deletes(lo))] };
    },
  },
  {
    name: 'flood of small updates (5000 at once)',
    frames() {
      const doc = new Y.Doc();
      const text = doc.getText('flood');
      const attack: Uint8Array[] = [];
      for (let i = 0; i < 5000; i++) {
        const before = Y.encodeStateVector(doc);
        text.insert(0, 'f');
        attack.push(updateFrame(Y.encodeStateAsUpdate(doc, before)));
      }
      return { setup: [], attack };
    },
  },
];

function summarize(rtts: number[]): { worstMs: number; p99Ms: number } {
  const sorted = [...rtts].sort((x, y) => x - y);
  return {
    worstMs: sorted.at(-1) ?? 0,
    p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
  };
}

async function serverLagMaxMs(origin: string): Promise<number> {
  return metricValue(await readMetrics(origin), 'nodejs_eventloop_lag_max_seconds') * 1000;
}

async function runServer(maxMessageBytes: number): Promise<void> {
  const server = await startServer('tandem', {
    root: ROOT,
    nodeArgs: process.env.STALL_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [],
    tandemEnv: { MAX_MESSAGE_BYTES: String(maxMessageBytes) },
    patches: [],
  });
  const url = `${server.origin.replace(/^http/, 'ws')}/collab`;
  const token = (sub: string) =>
    mintToken(BENCH_AUTH_SECRET, { sub, name: sub, cls: CLASS_ID, role: 'student' });
  const mib = (maxMessageBytes / 1024 / 1024).toFixed(maxMessageBytes % (1024 * 1024) ? 2 : 0);
  process.stdout.write(`\nMAX_MESSAGE_BYTES=${maxMessageBytes} (${mib} MiB)\n`);
  process.stdout.write(
    `${'attack'.padEnd(46)} ${'sent'.padStart(11)} ${'bystander worst'.padStart(16)} ${'p99'.padStart(8)} ${'server lag max'.padStart(15)}  result\n`,
  );
  try {
    const bystander = await connect(url, DOC, await token('bystander'));
    const rows: { name: string; frames(bytes: number): AttackFrames }[] = [
      { name: 'nobody attacking', frames: () => ({ setup: [], attack: [] }) },
      ...ATTACKS,
    ];
    for (const [i, row] of rows.entries()) {
      const { name } = row;
      const frames = row.frames(maxMessageBytes);
      const attacker = await connect(url, DOC, await token(`attacker-${i}`));
      for (const frame of frames.setup) attacker.socket.send(frame);
      // Wait until the server has taken the setup in (its acknowledgement of a probe comes after it).
      await probeOnce(bystander);
      await serverLagMaxMs(server.origin); // a scrape resets the server's histogram
      const p = probe(bystander);
      await new Promise((r) => setTimeout(r, 300));
      for (const frame of frames.attack) attacker.socket.send(frame);
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const { worstMs, p99Ms } = summarize(await p.stop());
      const lag = await serverLagMaxMs(server.origin);
      const bytes = frames.attack.reduce((sum, f) => sum + f.length, 0);
      const refusal = attacker.refused();
      const result = refusal
        ? `refused: ${refusal}`
        : attacker.closed()
          ? `refused: closed ${attacker.closed()}`
          : 'accepted';
      process.stdout.write(
        `${name.padEnd(46)} ${(bytes / 1024).toFixed(0).padStart(7)} KiB ${worstMs.toFixed(0).padStart(13)} ms ${p99Ms.toFixed(0).padStart(5)} ms ${lag.toFixed(0).padStart(12)} ms  ${result}\n`,
      );
      attacker.destroy();
      if (bystander.closed()) throw new Error(`bystander closed: ${bystander.closed()}`);
    }
    bystander.destroy();
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'max-message-bytes': { type: 'string', multiple: true } } });
  const sizes = values['max-message-bytes']?.map(Number) ?? [
    8 * 1024 * 1024,
    loadConfig({}).limits.maxMessageBytes,
  ];
  for (const size of sizes) await runServer(size);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
