// CPU time and memory of another process from /proc (Linux), so every server under test is measured the
// same way from outside, whatever code it runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface CpuSample {
  /** performance.timeOrigin + performance.now() when read, ms. */
  atMs: number;
  userSec: number;
  systemSec: number;
}

let clockTicksPerSec: number | undefined;

function ticksPerSec(): number {
  if (clockTicksPerSec === undefined) {
    try {
      clockTicksPerSec = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSec = 100;
    }
  }
  return clockTicksPerSec;
}

export function readCpu(pid: number): CpuSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name start at field 3 (state); utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = ticksPerSec();
  return {
    atMs: performance.timeOrigin + performance.now(),
    userSec: Number(fields[11]) / hz,
    systemSec: Number(fields[12]) / hz,
  };
}

/**
 * The process's write system calls so far (`syscw` in /proc/<pid>/io: write, writev and the like, on sockets
 * and files alike). Read without tracing, so it costs the process nothing.
 */
export function readWriteCalls(pid: number): number {
  const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  const match = /^syscw:\s*(\d+)$/m.exec(io);
  if (!match) throw new Error(`no syscw in /proc/${pid}/io`);
  return Number(match[1]);
}

export interface MemorySample {
  rssBytes: number;
  /** Peak resident set size over the process's life (VmHWM). */
  peakRssBytes: number;
}

export function readMemory(pid: number): MemorySample {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

export interface CpuDelta {
  wallSec: number;
  userSec: number;
  systemSec: number;
  cpuSec: number;
  /** Percent of one core. */
  corePct: number;
}

export function cpuDelta(from: CpuSample, to: CpuSample): CpuDelta {
  const wallSec = (to.atMs - from.atMs) / 1000;
  const userSec = to.userSec - from.userSec;
  const systemSec = to.systemSec - from.systemSec;
  const cpuSec = userSec + systemSec;
  return { wallSec, userSec, systemSec, cpuSec, corePct: wallSec > 0 ? (100 * cpuSec) / wallSec : 0 };
}

export function machineInfo(): {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
} {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const memTotalKb = Number(
    /^MemTotal:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0,
  );
  let system = `${os.type()} ${os.release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) system = `${pretty}, kernel ${os.release()}`;
  } catch {}
  return {
    // What `nproc` prints: the CPUs this process may run on.
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    memoryGiB: Math.round((memTotalKb / 1024 / 1024) * 10) / 10,
    node: process.version,
    os: system,
  };
}

export interface MachineCpuSample {
  atMs: number;
  /** CPU seconds all processes spent busy, summed over CPUs. */
  busySec: number;
  /** CPU seconds the hypervisor gave to someone else. */
  stealSec: number;
}

export function readMachineCpu(): MachineCpuSample {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  const hz = ticksPerSec();
  return {
    atMs: performance.timeOrigin + performance.now(),
    busySec: (user! + nice! + system! + irq! + softirq!) / hz,
    stealSec: steal! / hz,
  };
}
