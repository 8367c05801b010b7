// Runs one scenario against one server: server child + client child, server CPU sampled at the client's
// window boundaries, server memory sampled throughout. Both children are gone when it returns.
import { fork } from 'node:child_process';
import path from 'node:path';
import type { ClientPlan, ClientResult, FromClient, ToClient } from './ipc.ts';
import type { LatencySummary } from './latency.ts';
import { type BenchOptions, isTandem, type ScenarioKind, type ServerKind } from './options.ts';
import { pinning, pinProcess } from './pinning.ts';
import {
  type CpuDelta,
  type CpuSample,
  cpuDelta,
  type MachineCpuSample,
  readCpu,
  readMachineCpu,
  readMemory,
} from './procStats.ts';
import { BENCH_AUTH_SECRET, BENCH_CLASS_ID, startServer } from './serverProcess.ts';
import { countWriteSyscalls, type SyscallCounter } from './syscalls.ts';

const MEMORY_SAMPLE_MS = 200;

export interface ScenarioResult {
  server: ServerKind;
  scenario: ScenarioKind;
  clients: number;
  documents: number;
  windowSec: number;
  /** Keystrokes per second sent in the window (offered load). */
  editsPerSec: number;
  /** Keystrokes per second that reached every peer of their document (sustained, applied). */
  appliedEditsPerSec: number;
  /** (edit, peer) arrivals per second: the server's fan-out work. */
  deliveriesPerSec: number;
  /** Share of expected (edit, peer) arrivals that happened. */
  deliveredShare: number;
  perPeer: LatencySummary;
  allPeers: LatencySummary;
  serverCpu: CpuDelta & { usPerDelivery: number; usPerEdit: number };
  /** Resident memory when it started listening, at the end of the window, and its peak (VmHWM). */
  serverMemory: { startRssMiB: number; windowEndRssMiB: number; peakRssMiB: number };
  client: { corePct: number; loopDelayP99Ms: number; connectSec: number };
  /**
   * CPU the rest of the machine used during the window, in cores (busy time of all processes minus the
   * server and the clients), and time stolen by the hypervisor: noise from outside the benchmark.
   */
  machine: { otherCores: number; stealCores: number };
  /** The window on CLOCK_MONOTONIC in µs, the clock V8 CPU profiles use: to cut a profile to the window. */
  windowMonotonicUs: { start: number; end: number };
  /** Socket-write system calls per delivery (write, writev, sendmsg, sendto), when --strace was given. */
  syscalls?: { perDelivery: number; counts: Record<string, number> };
  /** CPU lists the server and the client process were pinned to (null: not pinned). */
  pinned: { server: string | null; clients: string | null };
  /** The server's V8 CPU profile, when --cpu-prof was given. */
  cpuProfile?: string;
  converged: boolean;
  serverCommand: string;
  serverEnv: Record<string, string>;
}

export async function runScenario(
  server: ServerKind,
  scenario: ScenarioKind,
  options: BenchOptions,
  root: string,
): Promise<ScenarioResult> {
  const pins = pinning();
  const sut = await startServer(server, {
    root,
    cpus: pins.server,
    tandemEnv: options.tandemEnv,
    patches: options.patches,
    nodeArgs: options.serverNodeArgs,
    ...(options.cpuProf ? { cpuProfDir: path.join(root, 'bench/results/profiles') } : {}),
  });
  const startRss = readMemory(sut.pid).rssBytes;
  let peakRss = 0;
  const sampleMemory = () => {
    try {
      peakRss = Math.max(peakRss, readMemory(sut.pid).peakRssBytes);
    } catch {}
  };
  const memoryTimer = setInterval(sampleMemory, MEMORY_SAMPLE_MS);
  try {
    const plan: ClientPlan = {
      server,
      wsOrigin: sut.origin.replace(/^http/, 'ws'),
      docs: documentsFor(scenario, options),
      ...(isTandem(server) ? { auth: { secret: BENCH_AUTH_SECRET, classId: BENCH_CLASS_ID } } : {}),
      minIntervalMs: options.minIntervalMs,
      maxIntervalMs: options.maxIntervalMs,
      warmupSec: options.warmupSec,
      durationSec: options.durationSec,
      seedChars: options.seedChars,
    };
    let start: WindowEdge | undefined;
    let end: WindowEdge | undefined;
    let windowEndRss = 0;
    let tracer: SyscallCounter | undefined;
    let traced: Promise<Record<string, number>> | undefined;
    const result = await runClients(root, plan, pins.clients, (message) => {
      if (message.type === 'window-start') {
        start = windowEdge(sut.pid);
        if (options.strace) tracer = countWriteSyscalls(sut.pid);
      }
      if (message.type === 'window-end') {
        traced = tracer?.stop();
        end = windowEdge(sut.pid);
        windowEndRss = readMemory(sut.pid).rssBytes;
      }
      if (message.type === 'connected') {
        log(`  ${message.clients} clients connected and synced in ${message.seconds.toFixed(1)} s`);
      }
    });
    sampleMemory();
    if (!start || !end) throw new Error('client process never reported its measurement window');
    const cpu = cpuDelta(start.cpu, end.cpu);
    const wallSec = (end.machine.atMs - start.machine.atMs) / 1000;
    const clientCpuSec = result.clientCpu.userSec + result.clientCpu.systemSec;
    const machine = {
      otherCores: Math.max(
        0,
        (end.machine.busySec - start.machine.busySec - cpu.cpuSec - clientCpuSec) / wallSec,
      ),
      stealCores: (end.machine.stealSec - start.machine.stealSec) / wallSec,
    };
    const counts = traced ? await traced : undefined;
    const calls = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;
    return {
      ...summarize(server, scenario, result, cpu, { startRss, peakRss, windowEndRss }, sut),
      ...(counts
        ? { syscalls: { perDelivery: result.deliveries ? calls / result.deliveries : Number.NaN, counts } }
        : {}),
      pinned: { server: pins.server, clients: pins.clients },
      machine,
      windowMonotonicUs: { start: start.monotonicUs, end: end.monotonicUs },
    };
  } finally {
    clearInterval(memoryTimer);
    await sut.stop();
  }
}

interface WindowEdge {
  cpu: CpuSample;
  machine: MachineCpuSample;
  monotonicUs: number;
}

function windowEdge(pid: number): WindowEdge {
  return {
    cpu: readCpu(pid),
    machine: readMachineCpu(),
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
  };
}

/** one-doc: every client in one document; many-docs: groups of clientsPerDoc, each in its own document. */
export function documentsFor(scenario: ScenarioKind, options: BenchOptions): ClientPlan['docs'] {
  if (scenario === 'one-doc') return [{ name: `${BENCH_CLASS_ID}/code/doc0`, clients: options.clients }];
  const docs: ClientPlan['docs'] = [];
  for (let left = options.clients, n = 0; left > 0; n++) {
    const clients = Math.min(options.clientsPerDoc, left);
    // A lone client in the last document would have no peer to measure: fold it into the previous one.
    if (clients < 2 && docs.length > 0) docs.at(-1)!.clients += clients;
    else docs.push({ name: `${BENCH_CLASS_ID}/code/doc${n}`, clients });
    left -= clients;
  }
  return docs;
}

export function runClients(
  root: string,
  plan: ClientPlan,
  cpus: string | null,
  onProgress: (m: FromClient) => void,
): Promise<ClientResult> {
  const child = fork(path.join(root, 'bench/collab/clientProcess.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid !== undefined) pinProcess(child.pid, cpus);
  return new Promise<ClientResult>((resolve, reject) => {
    let settled = false;
    child.on('message', (message: FromClient) => {
      onProgress(message);
      if (message.type === 'result') {
        settled = true;
        resolve(message.result);
      } else if (message.type === 'error') {
        settled = true;
        reject(new Error(`client process failed: ${message.message}`));
      }
    });
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`client process exited (${signal ?? code}) without a result`));
    });
    child.send({ type: 'run', plan } satisfies ToClient);
  });
}

function summarize(
  server: ServerKind,
  scenario: ScenarioKind,
  r: ClientResult,
  cpu: CpuDelta,
  memory: { startRss: number; peakRss: number; windowEndRss: number },
  sut: { command: string; env: Record<string, string>; cpuProfile?: string },
): Omit<ScenarioResult, 'machine' | 'windowMonotonicUs' | 'pinned' | 'syscalls'> {
  const MiB = 1024 * 1024;
  return {
    server,
    scenario,
    clients: r.clients,
    documents: r.documents,
    windowSec: r.windowSec,
    editsPerSec: r.editsSent / r.windowSec,
    appliedEditsPerSec: r.editsComplete / r.windowSec,
    deliveriesPerSec: r.deliveries / r.windowSec,
    deliveredShare: r.deliveriesExpected ? r.deliveries / r.deliveriesExpected : 0,
    perPeer: r.perPeer,
    allPeers: r.allPeers,
    serverCpu: {
      ...cpu,
      usPerDelivery: r.deliveries ? (cpu.cpuSec * 1e6) / r.deliveries : Number.NaN,
      usPerEdit: r.editsSent ? (cpu.cpuSec * 1e6) / r.editsSent : Number.NaN,
    },
    serverMemory: {
      startRssMiB: memory.startRss / MiB,
      windowEndRssMiB: memory.windowEndRss / MiB,
      peakRssMiB: memory.peakRss / MiB,
    },
    client: {
      corePct: r.clientCpu.corePct,
      loopDelayP99Ms: r.clientLoopDelayP99Ms,
      connectSec: r.connectSec,
    },
    converged: r.converged,
    serverCommand: sut.command,
    serverEnv: sut.env,
    ...(sut.cpuProfile ? { cpuProfile: sut.cpuProfile } : {}),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
