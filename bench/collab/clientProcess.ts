// Child-process entry: every simulated client of one scenario. Connects them, seeds each document with a
// source file, lets each client type one character at a time with jittered pauses, and measures when each
// keystroke reaches every other client of its document. Reports over IPC (see ipc.ts).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ensureDefaultCodeFile, getCodeFile } from '@tandem/shared';
import * as Y from 'yjs';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { type BenchClient, connectClient } from './clientKinds.ts';
import type { ClientPlan, ClientResult, FromClient, ToClient } from './ipc.ts';
import { DeliveryTracker } from './latency.ts';

const CONNECT_CONCURRENCY = 50;
const SYNC_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 15_000;
const KEYS = 'abcdefghijklmnopqrstuvwxyz     ()=+.,:\n';

// y-websocket's WebsocketProvider adds a process 'exit' listener per client; hundreds are expected here.
process.setMaxListeners(0);

interface Typist {
  client: BenchClient;
  documentName: string;
  peers: number;
  text?: Y.Text;
  cursor?: Y.RelativePosition;
  timer?: NodeJS.Timeout;
}

process.on('message', (message: ToClient) => {
  if (message.type !== 'run') return;
  run(message.plan).then(
    (result) => send({ type: 'result', result }, () => process.exit(0)),
    (error: unknown) =>
      send(
        { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
});

function send(message: FromClient, done?: () => void): void {
  process.send!(message, undefined, undefined, () => done?.());
}

async function run(plan: ClientPlan): Promise<ClientResult> {
  const tracker = new DeliveryTracker();
  const connectStart = performance.now();
  const typists = await connectAll(plan, tracker);
  const connectSec = (performance.now() - connectStart) / 1000;
  send({ type: 'connected', clients: typists.length, seconds: connectSec });

  try {
    await seedDocuments(plan, typists);

    let measuring = false;
    let stopped = false;
    let editsSent = 0;
    const keystroke = (t: Typist) => {
      if (stopped) return;
      const doc = t.client.doc;
      const text = t.text!;
      const index =
        (t.cursor && Y.createAbsolutePositionFromRelativePosition(t.cursor, doc)?.index) ?? text.length;
      const key = KEYS[Math.floor(Math.random() * KEYS.length)]!;
      const clock = Y.getState(doc.store, doc.clientID);
      const sentAtMs = performance.now();
      text.insert(index, key);
      if (measuring) {
        tracker.trackSend(doc.clientID, clock, sentAtMs, t.peers);
        editsSent++;
      }
      t.cursor = Y.createRelativePositionFromTypeIndex(text, index + 1);
      t.timer = setTimeout(keystroke, pause(plan), t);
    };
    for (const t of typists) t.timer = setTimeout(keystroke, Math.random() * plan.maxIntervalMs, t);

    await sleep(plan.warmupSec * 1000);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const cpuStart = process.cpuUsage();
    const windowStart = performance.now();
    measuring = true;
    loopDelay.enable();
    send({ type: 'window-start' });

    await sleep(plan.durationSec * 1000);
    measuring = false;
    stopped = true;
    const windowSec = (performance.now() - windowStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    loopDelay.disable();
    send({ type: 'window-end' });
    for (const t of typists) clearTimeout(t.timer);

    await until(() => tracker.openEdits === 0, DRAIN_TIMEOUT_MS);
    const converged = await until(() => documentsConverged(typists), DRAIN_TIMEOUT_MS);
    const cpuSec = (cpu.user + cpu.system) / 1e6;
    return {
      clients: typists.length,
      documents: plan.docs.length,
      connectSec,
      windowSec,
      editsSent,
      editsComplete: tracker.allPeers.count,
      deliveriesExpected: tracker.deliveriesExpected,
      deliveries: tracker.perPeer.count,
      perPeer: tracker.perPeer.summary(),
      allPeers: tracker.allPeers.summary(),
      clientCpu: {
        userSec: cpu.user / 1e6,
        systemSec: cpu.system / 1e6,
        corePct: (100 * cpuSec) / windowSec,
      },
      clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      converged,
    };
  } finally {
    for (const t of typists) t.client.destroy();
  }
}

async function connectAll(plan: ClientPlan, tracker: DeliveryTracker): Promise<Typist[]> {
  const specs = plan.docs.flatMap((d) =>
    Array.from({ length: d.clients }, (_, j) => ({
      documentName: d.name,
      peers: d.clients - 1,
      // A cluster bench spreads a document's clients over its nodes, in turn.
      wsOrigin: d.entries?.[j % d.entries.length] ?? plan.wsOrigin,
      classId: d.classId,
    })),
  );
  const typists: Typist[] = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const { wsOrigin, classId, ...spec } = specs[i]!;
      const sub = `bench-user-${i}`;
      const token = plan.auth
        ? await mintToken(plan.auth.secret, {
            sub,
            name: `Bench ${i}`,
            cls: classId ?? plan.auth.classId,
            role: 'student',
          })
        : undefined;
      const client = connectClient({
        kind: plan.server,
        wsOrigin,
        documentName: spec.documentName,
        token,
        ...(classId ? { classId } : {}),
        user: { name: `Bench ${i}`, color: `#${((i * 0x9e3779) & 0xffffff).toString(16).padStart(6, '0')}` },
      });
      client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (!transaction.local) tracker.observe(transaction, performance.now());
      });
      typists[i] = { client, ...spec };
      const synced = await Promise.race([
        client.synced.then(() => true),
        sleep(SYNC_TIMEOUT_MS).then(() => false),
      ]);
      if (!synced) {
        throw new Error(
          `client ${i} on ${spec.documentName} did not sync: ${client.closeReason() ?? 'timeout'}`,
        );
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, specs.length) }, worker));
  } catch (error) {
    for (const t of typists) t?.client.destroy();
    throw error;
  }
  return typists;
}

/** The first client of each document creates its file; every client then starts at a random place in it. */
async function seedDocuments(plan: ClientPlan, typists: Typist[]): Promise<void> {
  const seen = new Set<string>();
  for (const t of typists) {
    if (seen.has(t.documentName)) continue;
    seen.add(t.documentName);
    ensureDefaultCodeFile(t.client.doc, 'bench-seed', seedSource(plan.seedChars));
  }
  const ready = await until(
    () => typists.every((t) => (getCodeFile(t.client.doc, 'main')?.text.length ?? -1) >= plan.seedChars),
    SYNC_TIMEOUT_MS,
  );
  if (!ready) throw new Error('seeded documents did not reach every client');
  for (const t of typists) {
    t.text = getCodeFile(t.client.doc, 'main')!.text;
    t.cursor = Y.createRelativePositionFromTypeIndex(t.text, Math.floor(Math.random() * t.text.length));
  }
}

function documentsConverged(typists: Typist[]): boolean {
  const first = new Map<string, string>();
  for (const t of typists) {
    const content = t.text!.toString();
    const expected = first.get(t.documentName);
    if (expected === undefined) first.set(t.documentName, content);
    else if (expected !== content) return false;
  }
  return true;
}

function seedSource(chars: number): string {
  let out = '';
  for (let n = 0; out.length < chars; n++) out += `def step_${n}(x):\n    return x * ${n} + 1\n\n`;
  return out.slice(0, chars);
}

function pause(plan: ClientPlan): number {
  return plan.minIntervalMs + Math.random() * (plan.maxIntervalMs - plan.minIntervalMs);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 20 ms; false if it still does not hold after `timeoutMs`. */
async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
