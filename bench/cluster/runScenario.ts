// Runs one scenario against one system: three nodes, the classes placed on their owners (Tandem), the
// client process of the collab bench with each document's clients entering at the nodes in turn, and the
// CPU of every node, of the Redis server and of each node's PostgreSQL backends over the measured window.
import os from 'node:os';
import type { ClientPlan, ClientResult } from '../collab/ipc.ts';
import type { LatencySummary } from '../collab/latency.ts';
import { readMachineCpu } from '../collab/procStats.ts';
import { runClients } from '../collab/scenario.ts';
import { BENCH_AUTH_SECRET } from '../collab/serverProcess.ts';
import { CpuMeter } from './cpuMeter.ts';
import { type Cluster, type SystemKind, startCluster } from './nodes.ts';
import type { ClusterBenchOptions, Scenario } from './options.ts';
import { pgBackendPids, redisServerPid } from './sharedServices.ts';

export interface NodeResult {
  nodeId: string;
  /** Tandem: classes this node owned at the end of the run. */
  owns: number;
  /** Clients that entered at this node. */
  clientsEntered: number;
  corePct: number;
  /** This node's CPU divided by every delivery in the system. */
  usPerDelivery: number;
  /** Tandem: the CPU of this node's PostgreSQL backends, per delivery. */
  pgUsPerDelivery?: number;
}

export interface RunResult {
  system: SystemKind;
  scenario: Scenario;
  clients: number;
  documents: number;
  windowSec: number;
  editsPerSec: number;
  deliveriesPerSec: number;
  deliveredShare: number;
  perPeer: LatencySummary;
  allPeers: LatencySummary;
  nodes: NodeResult[];
  /** Sum over the three nodes (their processes only). */
  totalUsPerDelivery: number;
  /** The Redis server's CPU per delivery (a shared instance: others' use lands here too); NaN if not found. */
  redisUsPerDelivery: number;
  clientCorePct: number;
  /** Busy CPU of everything else on the machine during the window, in cores, and the 1-minute load average at its end. */
  otherCores: number;
  loadAvg1: number;
  converged: boolean;
  nodeCommand: string;
}

export async function runScenario(
  system: SystemKind,
  scenario: Scenario,
  options: ClusterBenchOptions,
  root: string,
): Promise<RunResult> {
  const cluster = await startCluster(system, root);
  try {
    const docs = documentsFor(system, scenario, options, cluster);
    if (system === 'tandem') {
      for (const d of docs) await cluster.placeClass(d.classId!, d.ownerIndex);
    }
    const plan: ClientPlan = {
      server: system === 'tandem' ? 'tandem' : 'hocuspocus',
      wsOrigin: ws(cluster.nodes[0]!.origin),
      docs: docs.map(({ ownerIndex: _, ...d }) => d),
      ...(system === 'tandem' ? { auth: { secret: BENCH_AUTH_SECRET, classId: docs[0]!.classId! } } : {}),
      minIntervalMs: options.minIntervalMs,
      maxIntervalMs: options.maxIntervalMs,
      warmupSec: options.warmupSec,
      durationSec: options.durationSec,
      seedChars: options.seedChars,
    };
    const redisPid = redisServerPid(Number(new URL(cluster.redisUrl).port || 6379));
    const nodeMeters = cluster.nodes.map((n) => new CpuMeter(() => [n.pid]));
    const pgMeters = cluster.nodes.map(
      (n) => new CpuMeter(() => (cluster.dbPort ? pgBackendPids(n.pid, cluster.dbPort) : [])),
    );
    const redisMeter = new CpuMeter(() => (redisPid ? [redisPid] : []));
    const meters = [...nodeMeters, ...pgMeters, redisMeter];
    let machineStart = readMachineCpu();
    let cpu: { nodes: number[]; pg: number[]; redis: number } | undefined;
    let busySec = 0;
    const result: ClientResult = await runClients(root, plan, null, (m) => {
      if (m.type === 'connected')
        log(`  ${m.clients} clients connected and synced in ${m.seconds.toFixed(1)} s`);
      if (m.type === 'window-start') {
        for (const meter of meters) meter.start();
        machineStart = readMachineCpu();
      }
      if (m.type === 'window-end') {
        busySec = readMachineCpu().busySec - machineStart.busySec;
        cpu = {
          nodes: nodeMeters.map((meter) => meter.stop()),
          pg: pgMeters.map((meter) => meter.stop()),
          redis: redisMeter.stop(),
        };
      }
    });
    if (!cpu) throw new Error('client process never reported its measurement window');
    const per = (sec: number) => (result.deliveries ? (sec * 1e6) / result.deliveries : Number.NaN);
    const owners = system === 'tandem' ? await Promise.all(docs.map((d) => cluster.ownerOf(d.classId!))) : [];
    const entered = cluster.nodes.map((n) => docs.reduce((sum, d) => sum + countAt(d, ws(n.origin)), 0));
    const measured =
      cpu.nodes.reduce((a, b) => a + b, 0) +
      cpu.pg.reduce((a, b) => a + b, 0) +
      cpu.redis +
      result.clientCpu.userSec +
      result.clientCpu.systemSec;
    return {
      system,
      scenario,
      clients: result.clients,
      documents: result.documents,
      windowSec: result.windowSec,
      editsPerSec: result.editsSent / result.windowSec,
      deliveriesPerSec: result.deliveries / result.windowSec,
      deliveredShare: result.deliveriesExpected ? result.deliveries / result.deliveriesExpected : 0,
      perPeer: result.perPeer,
      allPeers: result.allPeers,
      nodes: cluster.nodes.map((n, i) => ({
        nodeId: n.nodeId,
        owns: owners.filter((o) => o === n.nodeId).length,
        clientsEntered: entered[i]!,
        corePct: (100 * cpu!.nodes[i]!) / result.windowSec,
        usPerDelivery: per(cpu!.nodes[i]!),
        ...(system === 'tandem' ? { pgUsPerDelivery: per(cpu!.pg[i]!) } : {}),
      })),
      totalUsPerDelivery: per(cpu.nodes.reduce((a, b) => a + b, 0)),
      redisUsPerDelivery: redisPid ? per(cpu.redis) : Number.NaN,
      clientCorePct: result.clientCpu.corePct,
      otherCores: Math.max(0, (busySec - measured) / result.windowSec),
      loadAvg1: os.loadavg()[0]!,
      converged: result.converged,
      nodeCommand: cluster.command,
    };
  } finally {
    await cluster.stop();
  }
}

type PlannedDoc = ClientPlan['docs'][number] & { entries: string[]; ownerIndex: number };

/** Clients of `d` that enter at `origin` (they take d.entries in turn). */
function countAt(d: PlannedDoc, origin: string): number {
  let n = 0;
  for (let j = 0; j < d.clients; j++) if (d.entries[j % d.entries.length] === origin) n++;
  return n;
}

function documentsFor(
  system: SystemKind,
  scenario: Scenario,
  options: ClusterBenchOptions,
  cluster: Cluster,
): PlannedDoc[] {
  const origins = cluster.nodes.map((n) => ws(n.origin));
  const doc = (k: number, clients: number, entries: string[]): PlannedDoc => ({
    name: `cb${k}/code/doc0`,
    clients,
    entries,
    ownerIndex: k % origins.length,
    // Only Tandem routes on the class; stock Hocuspocus is given the same document names.
    ...(system === 'tandem' ? { classId: `cb${k}` } : {}),
  });
  switch (scenario) {
    case 'spread':
      return [doc(0, options.clients, origins)];
    case 'at-owner':
      return [doc(0, options.clients, [origins[0]!])];
    case 'classes':
      // Class k is owned by node k % 3; its clients start there and go round all three.
      return Array.from({ length: options.classes }, (_, k) =>
        doc(
          k,
          options.clientsPerClass,
          origins.map((_, i) => origins[(k + i) % origins.length]!),
        ),
      );
  }
}

function ws(origin: string): string {
  return origin.replace(/^http/, 'ws');
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
