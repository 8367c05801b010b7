// The presence-heavy class of issue #19: N sockets (default 200) in one code document, each typing C characters
// per second (default 5) with a cursor (awareness) update per keystroke, against Tandem, stock Hocuspocus and
// the stock y-websocket server, rounds interleaved. Clients are raw sockets (joins/rawSocket.ts) sending
// precomputed-size frames: each has its own small Y.Doc (the seed plus its own keystrokes) to make valid
// updates, and only a few observer sockets decode what they receive, for latency per (keystroke, observer) and
// the share delivered. Reports server CPU, p50/p99, delivered share and the client process's CPU.
//   npm run bench -- --scenarios presence-class    (or: node --import tsx bench/collab/presenceClass.ts)
import path from 'node:path';
import { CODE_FILES_KEY, DEFAULT_FILE, FILE_FIELDS } from '@tandem/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { EMPTY_UPDATE, type Protocol, protocolOf } from './joins/protocols.ts';
import { RawSocket } from './joins/rawSocket.ts';
import type { ServerKind } from './options.ts';
import { pinning } from './pinning.ts';
import { cpuDelta, readCpu, readWriteCalls } from './procStats.ts';
import { interleavedRounds, median } from './rounds.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from './serverProcess.ts';

const DOC = `${BENCH_CLASS_ID}/code/class`;
const OBSERVERS = 5;
const JOIN_BATCH = 20;
const TICK_MS = 5;

export interface PresenceClassOptions {
  /** The scenario's name in reports: presence-class, or steady-typing (no cursors). */
  name?: string;
  clients: number;
  charsPerSec: number;
  /** Send a cursor (awareness) update with every keystroke (default true). */
  cursors?: boolean;
  warmupSec: number;
  durationSec: number;
  rounds: number;
  servers: ServerKind[];
  root: string;
  /** Write a .cpuprofile per server child to bench/results/profiles (--cpu-prof). */
  cpuProf?: boolean;
}

export interface PresenceClassRow {
  server: ServerKind;
  serverCorePct: number;
  /** The part of serverCorePct spent in the kernel (socket writes and loopback delivery, mostly). */
  serverSystemPct: number;
  /**
   * Write system calls (write, writev, ...: the kernel's `syscw` count in /proc/<pid>/io, so socket writes plus
   * the journal's one per update) per delivered keystroke.
   */
  writeCallsPerDelivery: number;
  p50Ms: number;
  p99Ms: number;
  deliveredShare: number;
  clientCorePct: number;
  keystrokesPerSec: number;
}

interface Typist {
  socket: RawSocket;
  doc: Y.Doc;
  text: Y.Text;
  at: number;
  clock: number;
  pending: Uint8Array[];
}

export function seedState(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 999;
  const file = new Y.Map<unknown>();
  doc.getMap(CODE_FILES_KEY).set(DEFAULT_FILE.id, file);
  file.set(FILE_FIELDS.name, DEFAULT_FILE.name);
  const text = new Y.Text();
  file.set(FILE_FIELDS.text, text);
  text.insert(0, "print('hello, class')\n".repeat(20));
  return Y.encodeStateAsUpdate(doc);
}

function awarenessUpdate(clientId: number, clock: number, i: number): Uint8Array {
  const rel = (c: number) => ({
    type: { client: 999, clock: 0 },
    tname: null,
    item: { client: clientId, clock: c },
    assoc: 0,
  });
  const state = {
    file: DEFAULT_FILE.id,
    scroll: { top: clock * 3, line: clock % 200 },
    followMe: false,
    following: null,
    idle: false,
    media: { mic: false, cam: false, screen: false },
    pointer: null,
    view: 'editor',
    selection: { anchor: rel(clock + i), head: rel(clock + i) },
  };
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encoding.toUint8Array(e);
}

const token = (sub: string) =>
  mintToken(BENCH_AUTH_SECRET, { sub, name: sub, cls: BENCH_CLASS_ID, role: 'student' });

async function join(
  protocol: Protocol,
  origin: string,
  sub: string,
  onUpdate?: (update: Uint8Array) => void,
): Promise<RawSocket> {
  let synced!: () => void;
  let steppedOne!: () => void;
  const handshake = Promise.all([
    new Promise<void>((r) => (synced = r)),
    new Promise<void>((r) => (steppedOne = r)),
  ]);
  const socket = await RawSocket.open(
    protocol.url(origin, DOC),
    (m) => {
      if (protocol.isStep1(m.prefix)) steppedOne();
      else if (protocol.isStep2(m.prefix)) synced();
      else if (onUpdate) {
        const update = protocol.updateOf(m.prefix);
        if (update) onUpdate(update);
      }
    },
    onUpdate !== undefined,
  );
  for (const f of protocol.joinFrames(DOC, await token(sub))) socket.send(f);
  // Answered as a real client does (Tandem holds a client's updates until its sync step 2 has arrived), once
  // both steps are in: y-websocket sends its step 1 with the upgrade's answer, before `open` returns.
  await handshake;
  socket.send(protocol.step2Frame(DOC, EMPTY_UPDATE));
  return socket;
}

/** What one measured stretch of typing at a fixed rate gave (one server, one round or one ramp step). */
export type Measured = Omit<PresenceClassRow, 'server'>;

/** A class in session on a running server: the seeded document and the typists joined to it. */
export interface ClassSession {
  /** Types `rate` keystrokes/s in all (round-robin over the typists) for warmup + duration, measuring the latter. */
  measure(rate: number, warmupSec: number, durationSec: number, cursors: boolean): Promise<Measured>;
  close(): Promise<void>;
}

/** Starts `server`, seeds its class document and joins `clients` typists to it (in batches). */
export async function openClass(
  server: ServerKind,
  o: Pick<PresenceClassOptions, 'clients' | 'root' | 'cpuProf'>,
  seed: Uint8Array,
  tandemEnv: Record<string, string> = {},
): Promise<ClassSession> {
  const protocol = protocolOf(server);
  const pins = pinning();
  const sut = await startServer(server, {
    root: o.root,
    nodeArgs: [],
    patches: [],
    cpus: pins.server,
    tandemEnv,
    ...(o.cpuProf ? { cpuProfDir: path.join(o.root, 'bench/results/profiles') } : {}),
  });
  const sockets: RawSocket[] = [];
  const close = async () => {
    for (const s of sockets) s.close();
    await sut.stop();
  };
  // What the observers record while a stretch is measured (reset for each).
  const probe = {
    measuring: false,
    sentAt: new Map<string, number>(),
    latencies: [] as number[],
    arrivals: 0,
  };
  const typists: Typist[] = [];
  try {
    // The seed goes first, and is in the document before anyone types (its own step 2 comes after it).
    const seeder = await join(protocol, sut.origin, 'seeder');
    sockets.push(seeder);
    seeder.send(protocol.updateFrame(DOC, seed));
    await join(protocol, sut.origin, 'seeder').then((s) => sockets.push(s));

    for (let start = 0; start < o.clients; start += JOIN_BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(JOIN_BATCH, o.clients - start) }, async (_, k) => {
          const i = start + k;
          const doc = new Y.Doc();
          doc.clientID = 2_000_000 + i;
          Y.applyUpdate(doc, seed);
          const text = (doc.getMap(CODE_FILES_KEY).get(DEFAULT_FILE.id) as Y.Map<unknown>).get(
            FILE_FIELDS.text,
          ) as Y.Text;
          const onUpdate =
            i < OBSERVERS
              ? (update: Uint8Array) => {
                  if (!probe.measuring) return;
                  const now = performance.now();
                  for (const s of Y.decodeUpdate(update).structs) {
                    if (s.id.client === doc.clientID) continue;
                    for (let c = s.id.clock; c < s.id.clock + s.length; c++) {
                      const t = probe.sentAt.get(`${s.id.client}:${c}`);
                      if (t !== undefined) {
                        probe.latencies.push(now - t);
                        probe.arrivals++;
                      }
                    }
                  }
                }
              : undefined;
          const socket = await join(protocol, sut.origin, `s${i}`, onUpdate);
          const typist: Typist = { socket, doc, text, at: (i * 7) % text.length, clock: 0, pending: [] };
          doc.on('update', (u: Uint8Array) => typist.pending.push(u));
          return typist;
        }),
      );
      typists.push(...batch);
    }
    for (const t of typists) sockets.push(t.socket);
  } catch (error) {
    await close();
    throw error;
  }

  async function measure(rate: number, warmupSec: number, durationSec: number, cursors: boolean) {
    probe.measuring = false;
    probe.sentAt.clear();
    probe.latencies = [];
    probe.arrivals = 0;
    // Keystrokes are spread evenly over time, round-robin over the typists.
    const total = Math.round(rate * (warmupSec + durationSec));
    let sent = 0;
    let windowSent = 0;
    let before = readCpu(sut.pid);
    let clientBefore = process.cpuUsage();
    let windowStart = 0;
    let writesBefore = 0;
    const begin = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = (performance.now() - begin) / 1000;
        if (!probe.measuring && elapsed >= warmupSec) {
          probe.measuring = true;
          writesBefore = readWriteCalls(sut.pid);
          before = readCpu(sut.pid);
          clientBefore = process.cpuUsage();
          windowStart = performance.now();
        }
        const due = Math.min(total, Math.floor(elapsed * rate));
        for (; sent < due; sent++) {
          const i = sent % typists.length;
          const t = typists[i]!;
          t.text.insert(t.at++, 'x');
          const update = t.pending.shift()!;
          t.pending.length = 0;
          const now = performance.now();
          if (probe.measuring) {
            windowSent++;
            probe.sentAt.set(`${t.doc.clientID}:${t.clock}`, now);
          }
          t.clock++;
          t.socket.send(protocol.updateFrame(DOC, update));
          if (cursors)
            t.socket.send(protocol.awarenessFrame(DOC, awarenessUpdate(t.doc.clientID, t.clock, i)));
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, TICK_MS);
    });
    const windowMs = performance.now() - windowStart;
    // Stragglers: what is still on its way counts as delivered if it arrives within a second.
    await new Promise((r) => setTimeout(r, 1000));
    probe.measuring = false;
    const calls = readWriteCalls(sut.pid) - writesBefore;
    const cpu = cpuDelta(before, readCpu(sut.pid));
    const client = process.cpuUsage(clientBefore);
    const latencies = probe.latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
    // Each observer should get every keystroke of the window but its own.
    const expected = windowSent * OBSERVERS - (windowSent / o.clients) * OBSERVERS;
    return {
      serverCorePct: (cpu.cpuSec / ((windowMs + 1000) / 1000)) * 100,
      serverSystemPct: (cpu.systemSec / ((windowMs + 1000) / 1000)) * 100,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      deliveredShare: probe.arrivals / expected,
      clientCorePct: ((client.user + client.system) / 1000 / (windowMs + 1000)) * 100,
      keystrokesPerSec: windowSent / (windowMs / 1000),
      // Every keystroke goes to every other socket.
      writeCallsPerDelivery: calls / (windowSent * (o.clients - 1)),
    };
  }
  return { measure, close };
}

async function runOne(
  server: ServerKind,
  o: PresenceClassOptions,
  seed: Uint8Array,
): Promise<PresenceClassRow> {
  const session = await openClass(server, o, seed);
  try {
    const rate = o.clients * o.charsPerSec;
    return { server, ...(await session.measure(rate, o.warmupSec, o.durationSec, o.cursors !== false)) };
  } finally {
    await session.close();
  }
}

export async function runPresenceClass(o: PresenceClassOptions): Promise<PresenceClassRow[]> {
  const seed = seedState();
  const results = await interleavedRounds(o.servers, o.rounds, async (server, round) => {
    const r = await runOne(server, o, seed);
    process.stderr.write(
      `${o.name ?? 'presence-class'} round ${round + 1} ${server}: ${r.keystrokesPerSec.toFixed(0)} keystrokes/s, server ${r.serverCorePct.toFixed(0)} % core (${r.serverSystemPct.toFixed(0)} % system), ` +
        `p50 ${r.p50Ms.toFixed(1)} p99 ${r.p99Ms.toFixed(1)} ms, delivered ${(r.deliveredShare * 100).toFixed(2)} %, client ${r.clientCorePct.toFixed(0)} % core${r.clientCorePct > 85 ? ' (CLIENT-BOUND)' : ''}` +
        `, ${r.writeCallsPerDelivery.toFixed(3)} write calls per delivery\n`,
    );
    return r;
  });
  return o.servers.map((server) => {
    const rs = results.filter((r) => r.server === server);
    return {
      server,
      serverCorePct: median(rs.map((r) => r.serverCorePct)),
      serverSystemPct: median(rs.map((r) => r.serverSystemPct)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      deliveredShare: median(rs.map((r) => r.deliveredShare)),
      clientCorePct: median(rs.map((r) => r.clientCorePct)),
      keystrokesPerSec: median(rs.map((r) => r.keystrokesPerSec)),
      writeCallsPerDelivery: median(rs.map((r) => r.writeCallsPerDelivery)),
    };
  });
}

export function presenceClassTable(rows: PresenceClassRow[], o: PresenceClassOptions): string {
  const base = rows.find((r) => r.server === 'hocuspocus');
  const cursors = o.cursors === false ? '' : ' + a cursor update per keystroke';
  const lines = [
    `${o.name ?? 'presence-class'}: ${o.clients} sockets, ${o.charsPerSec} chars/s each${cursors}, ${o.durationSec} s, ${o.rounds} rounds (median)`,
    'server        keystrokes/s  server %core  vs hocuspocus  µs/delivery  writes/delivery  p50 ms  p99 ms  delivered  client %core',
  ];
  for (const r of rows) {
    // Every keystroke goes to every other socket.
    const usPerDelivery = (r.serverCorePct * 1e4) / (r.keystrokesPerSec * (o.clients - 1));
    lines.push(
      `${r.server.padEnd(13)} ${r.keystrokesPerSec.toFixed(0).padStart(12)}  ${r.serverCorePct.toFixed(1).padStart(12)}  ${(base ? `${(r.serverCorePct / base.serverCorePct).toFixed(2)}x` : '-').padStart(13)}  ${usPerDelivery.toFixed(2).padStart(11)}  ${r.writeCallsPerDelivery.toFixed(3).padStart(15)}  ` +
        `${r.p50Ms.toFixed(1).padStart(6)}  ${r.p99Ms.toFixed(1).padStart(6)}  ${(r.deliveredShare * 100).toFixed(2).padStart(8)}%  ${r.clientCorePct.toFixed(0).padStart(6)}${r.clientCorePct > 85 ? ' CLIENT-BOUND' : ''}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { pinProcess } = await import('./pinning.ts');
  const path = await import('node:path');
  pinProcess(process.pid, pinning().clients);
  const o: PresenceClassOptions = {
    clients: Number(process.env.BENCH_CLIENTS ?? 200),
    charsPerSec: 5,
    warmupSec: 2,
    durationSec: Number(process.env.BENCH_DURATION ?? 10),
    rounds: Number(process.env.BENCH_ROUNDS ?? 2),
    servers: (process.env.BENCH_SERVERS ?? 'tandem,hocuspocus,y-websocket').split(',') as ServerKind[],
    root: path.resolve(import.meta.dirname, '../..'),
  };
  console.log(presenceClassTable(await runPresenceClass(o), o));
  process.exit(0);
}
