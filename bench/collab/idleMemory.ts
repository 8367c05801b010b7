// Idle memory per document and connection (issue #19): each server alone, its live JS heap after a full GC
// (through the inspector) when idle, then after D documents were opened one after another with one raw socket
// each (joined and synced, then left open and quiet). Reports the idle heap, heap per document+connection, RSS
// per document+connection, and the time to open the D documents, against stock Hocuspocus and y-websocket.
// Heap per document+connection comes two ways: over all D (as the issue measured it: it includes code the server
// compiles while opening its first documents, paid once), and over the second half only (the heap after D
// documents less the heap after D/2, per document: what one more document and connection costs).
//   npm run bench -- --scenarios idle-memory    (or: node --import tsx bench/collab/idleMemory.ts; env BENCH_DOCUMENTS,
//   BENCH_ROUNDS, BENCH_SERVERS, BENCH_CPU_PROF=1, and BENCH_SNAPSHOTS=<dir> for heap snapshots idle, half and loaded to compare with heapDiff.ts)
import path from 'node:path';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { freePort, InspectorSession } from './inspector.ts';
import { EMPTY_UPDATE, protocolOf } from './joins/protocols.ts';
import { RawSocket } from './joins/rawSocket.ts';
import type { ServerKind } from './options.ts';
import { pinning, pinProcess } from './pinning.ts';
import { readMemory } from './procStats.ts';
import { interleavedRounds, median } from './rounds.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from './serverProcess.ts';

export interface IdleMemoryOptions {
  documents: number;
  rounds: number;
  servers: ServerKind[];
  root: string;
  /** Write a heap snapshot of each server idle and loaded here (compare them with heapDiff.ts). */
  snapshotDir?: string;
  /** A CPU profile of each server (idle, then opening the documents) in bench/results/profiles. */
  cpuProf?: boolean;
}

export interface IdleMemoryRow {
  server: ServerKind;
  idleHeapMiB: number;
  idleRssMiB: number;
  heapKiBPerDoc: number;
  /** Over the second half of the documents only: one more document+connection, without first-use costs. */
  marginalHeapKiBPerDoc: number;
  rssKiBPerDoc: number;
  openMs: number;
}

async function runOne(server: ServerKind, o: IdleMemoryOptions): Promise<IdleMemoryRow> {
  const protocol = protocolOf(server);
  const port = await freePort();
  const sut = await startServer(server, {
    root: o.root,
    nodeArgs: [`--inspect=127.0.0.1:${port}`],
    patches: [],
    cpus: pinning().server,
    tandemEnv: {},
    ...(o.cpuProf ? { cpuProfDir: path.join(o.root, 'bench/results/profiles') } : {}),
  });
  const inspector = await InspectorSession.connect(port);
  const sockets: RawSocket[] = [];
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await inspector.liveHeapBytes();
    if (o.snapshotDir)
      await inspector.writeHeapSnapshot(path.join(o.snapshotDir, `${server}-idle.heapsnapshot`));
    const idleRss = readMemory(sut.pid).rssBytes;
    const tokens = await Promise.all(
      Array.from({ length: o.documents }, (_, i) =>
        mintToken(BENCH_AUTH_SECRET, { sub: `u${i}`, name: `u${i}`, cls: BENCH_CLASS_ID, role: 'student' }),
      ),
    );
    const half = Math.floor(o.documents / 2);
    let openMs = 0;
    let halfway = idle;
    for (let i = 0; i < o.documents; i++) {
      if (i === half) {
        await new Promise((r) => setTimeout(r, 1000));
        halfway = await inspector.liveHeapBytes();
        if (o.snapshotDir)
          await inspector.writeHeapSnapshot(path.join(o.snapshotDir, `${server}-half.heapsnapshot`));
      }
      const start = performance.now();
      const doc = `${BENCH_CLASS_ID}/code/idle${i}`;
      // Joined as every Yjs client joins, so that it ends past its handshake like an idle provider: the server's
      // sync step 1 is answered with the client's sync step 2 (empty: the client has nothing). y-websocket sends
      // its step 1 with the upgrade's answer, before `open` returns the socket, so the answer waits for both.
      let synced!: () => void;
      let steppedOne!: () => void;
      const handshake = Promise.all([
        new Promise<void>((r) => (synced = r)),
        new Promise<void>((r) => (steppedOne = r)),
      ]);
      const socket = await RawSocket.open(protocol.url(sut.origin, doc), (m) => {
        if (protocol.isStep1(m.prefix)) steppedOne();
        else if (protocol.isStep2(m.prefix)) synced();
      });
      for (const f of protocol.joinFrames(doc, tokens[i]!)) socket.send(f);
      await handshake;
      socket.send(protocol.step2Frame(doc, EMPTY_UPDATE));
      sockets.push(socket);
      openMs += performance.now() - start;
    }
    await new Promise((r) => setTimeout(r, 1000));
    const loaded = await inspector.liveHeapBytes();
    if (o.snapshotDir)
      await inspector.writeHeapSnapshot(path.join(o.snapshotDir, `${server}-loaded.heapsnapshot`));
    const rss = readMemory(sut.pid).rssBytes;
    return {
      server,
      idleHeapMiB: idle.usedBytes / 2 ** 20,
      idleRssMiB: idleRss / 2 ** 20,
      heapKiBPerDoc: (loaded.usedBytes - idle.usedBytes) / 1024 / o.documents,
      marginalHeapKiBPerDoc: (loaded.usedBytes - halfway.usedBytes) / 1024 / (o.documents - half),
      rssKiBPerDoc: (rss - idleRss) / 1024 / o.documents,
      openMs,
    };
  } finally {
    for (const s of sockets) s.close();
    inspector.close();
    await sut.stop();
  }
}

export async function runIdleMemory(o: IdleMemoryOptions): Promise<IdleMemoryRow[]> {
  const results = await interleavedRounds(o.servers, o.rounds, async (server, round) => {
    const r = await runOne(server, o);
    process.stderr.write(
      `idle-memory round ${round + 1} ${server}: idle heap ${r.idleHeapMiB.toFixed(1)} MiB, ${r.heapKiBPerDoc.toFixed(1)} KiB heap/doc+conn ` +
        `(second half ${r.marginalHeapKiBPerDoc.toFixed(1)}), ` +
        `${r.rssKiBPerDoc.toFixed(1)} KiB RSS/doc+conn, ${o.documents} documents opened in ${r.openMs.toFixed(0)} ms\n`,
    );
    return r;
  });
  return o.servers.map((server) => {
    const rs = results.filter((r) => r.server === server);
    const m = (f: (r: IdleMemoryRow) => number) => median(rs.map(f));
    return {
      server,
      idleHeapMiB: m((r) => r.idleHeapMiB),
      idleRssMiB: m((r) => r.idleRssMiB),
      heapKiBPerDoc: m((r) => r.heapKiBPerDoc),
      marginalHeapKiBPerDoc: m((r) => r.marginalHeapKiBPerDoc),
      rssKiBPerDoc: m((r) => r.rssKiBPerDoc),
      openMs: m((r) => r.openMs),
    };
  });
}

export function idleMemoryTable(rows: IdleMemoryRow[], o: IdleMemoryOptions): string {
  const hp = rows.find((r) => r.server === 'hocuspocus');
  const yws = rows.find((r) => r.server === 'y-websocket');
  const lines = [
    `idle-memory: ${o.documents} documents opened one after another, one socket each, ${o.rounds} rounds (median)`,
    'server        idle heap MiB  vs hocuspocus  idle RSS MiB  heap KiB/doc+conn  vs y-websocket  second half  vs y-websocket  RSS KiB/doc+conn  open ms  vs hocuspocus',
  ];
  for (const r of rows) {
    const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : '-');
    lines.push(
      `${r.server.padEnd(13)} ${r.idleHeapMiB.toFixed(1).padStart(13)}  ${ratio(r.idleHeapMiB, hp?.idleHeapMiB).padStart(13)}  ${r.idleRssMiB.toFixed(1).padStart(12)}  ` +
        `${r.heapKiBPerDoc.toFixed(1).padStart(17)}  ${ratio(r.heapKiBPerDoc, yws?.heapKiBPerDoc).padStart(14)}  ` +
        `${r.marginalHeapKiBPerDoc.toFixed(1).padStart(11)}  ${ratio(r.marginalHeapKiBPerDoc, yws?.marginalHeapKiBPerDoc).padStart(14)}  ` +
        `${r.rssKiBPerDoc.toFixed(1).padStart(16)}  ` +
        `${r.openMs.toFixed(0).padStart(7)}  ${ratio(r.openMs, hp?.openMs).padStart(13)}`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  pinProcess(process.pid, pinning().clients);
  const o: IdleMemoryOptions = {
    documents: Number(process.env.BENCH_DOCUMENTS ?? 200),
    rounds: Number(process.env.BENCH_ROUNDS ?? 2),
    servers: (process.env.BENCH_SERVERS ?? 'tandem,hocuspocus,y-websocket').split(',') as ServerKind[],
    root: path.resolve(import.meta.dirname, '../..'),
    ...(process.env.BENCH_SNAPSHOTS ? { snapshotDir: process.env.BENCH_SNAPSHOTS } : {}),
    cpuProf: process.env.BENCH_CPU_PROF === '1',
  };
  console.log(idleMemoryTable(await runIdleMemory(o), o));
  process.exit(0);
}
