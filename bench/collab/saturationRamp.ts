// The saturation ramp of issue #19: 50 sockets in one code document, the class's total typing rate raised step
// by step (1,000 keystrokes/s, then 2,000, 4,000, ... 40,000) on one running server until it no longer keeps up, against
// Tandem, stock Hocuspocus and the stock y-websocket server, rounds interleaved. The same raw-socket typists and
// observers as the presence-heavy class (presenceClass.ts), without cursors. A step keeps up when at least
// 99.9 % of its keystrokes reach every observer within a second of the step's end and its p99 is under 250 ms;
// the ramp stops at the first step that does not, when the server's core is full, or when the client process is
// (then the last rate is a floor, marked client-bound). Reports each server's highest rate that kept up. Tandem
// runs with its per-socket and per-user message limits raised (RAMP_TANDEM_ENV): past 5,000 keystrokes/s, 50
// sockets send more than the 100 messages/s a socket may send by default, and the ramp would measure that limit
// (the sockets closed as rate-limited) instead of the server's capacity.
//   npm run bench -- --scenarios saturation-ramp    (or: node --import tsx bench/collab/saturationRamp.ts;
//   env BENCH_ROUNDS, BENCH_SERVERS, BENCH_RAMP_STEPS=16000,20000, BENCH_CPU_PROF=1)
import type { ServerKind } from './options.ts';
import { type Measured, openClass, seedState } from './presenceClass.ts';
import { interleavedRounds } from './rounds.ts';

/** A step's p99 above this is lag a typist sees: the server no longer keeps up. */
const P99_LIMIT_MS = 250;
const MIN_DELIVERED = 0.999;
/** A server at this share of its core has nothing left for a faster step. */
const SERVER_FULL_PCT = 95;
/** The client process above this share of its core may be what limits the rate: the result is a floor. */
const CLIENT_BOUND_PCT = 85;

/** Limits a ramp past 5,000 keystrokes/s over 50 sockets would hit (defaults: 100 and 600 messages/s). */
const RAMP_TANDEM_ENV = {
  RATE_LIMIT_MESSAGES_PER_SEC: '100000',
  RATE_LIMIT_BURST: '100000',
  USER_RATE_LIMIT_MESSAGES_PER_SEC: '100000',
  USER_RATE_LIMIT_BURST: '100000',
};

export const RAMP_STEPS = [
  1000, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_000, 16_000, 18_000, 20_000, 24_000, 28_000, 32_000,
  40_000,
];

export interface RampOptions {
  clients: number;
  steps: number[];
  warmupSec: number;
  stepSec: number;
  rounds: number;
  servers: ServerKind[];
  root: string;
  cpuProf?: boolean;
}

export interface RampStep extends Measured {
  rate: number;
}

export interface RampRow {
  server: ServerKind;
  /** The highest step rate that kept up (0 when none did). */
  keptUpRate: number;
  /** Why the ramp ended: the first step that did not keep up, a full core, or the last step. */
  stoppedBy: string;
  clientBound: boolean;
  steps: RampStep[];
}

function keptUp(step: RampStep): boolean {
  // A client that fell behind its schedule sent less than the step asked for: that step says nothing.
  return (
    step.deliveredShare >= MIN_DELIVERED &&
    step.p99Ms < P99_LIMIT_MS &&
    step.keystrokesPerSec >= step.rate * 0.97
  );
}

async function rampOne(server: ServerKind, o: RampOptions): Promise<RampRow> {
  const session = await openClass(server, o, seedState(), RAMP_TANDEM_ENV);
  const steps: RampStep[] = [];
  // The ramp stops at the first step that does not keep up: every step before it did.
  let keptUpRate = 0;
  try {
    for (const rate of o.steps) {
      const step = { rate, ...(await session.measure(rate, o.warmupSec, o.stepSec, false)) };
      steps.push(step);
      process.stderr.write(
        `  ${server} at ${rate}/s: ${step.keystrokesPerSec.toFixed(0)}/s sent, server ${step.serverCorePct.toFixed(0)} % core, ` +
          `p99 ${step.p99Ms.toFixed(1)} ms, delivered ${(step.deliveredShare * 100).toFixed(2)} %, client ${step.clientCorePct.toFixed(0)} % core\n`,
      );
      const clientBound = step.clientCorePct > CLIENT_BOUND_PCT;
      const end = (stoppedBy: string): RampRow => ({ server, keptUpRate, clientBound, steps, stoppedBy });
      if (!keptUp(step)) return end(`${rate}/s did not keep up`);
      keptUpRate = rate;
      if (clientBound) return end('client process full');
      if (step.serverCorePct >= SERVER_FULL_PCT) return end(`server core full at ${rate}/s`);
    }
    return { server, keptUpRate, clientBound: false, steps, stoppedBy: 'last step' };
  } finally {
    await session.close();
  }
}

export async function runSaturationRamp(o: RampOptions): Promise<RampRow[]> {
  const results = await interleavedRounds(o.servers, o.rounds, async (server, round) => {
    process.stderr.write(`saturation-ramp round ${round + 1} ${server}:\n`);
    const r = await rampOne(server, o);
    process.stderr.write(
      `saturation-ramp round ${round + 1} ${server}: kept up to ${r.keptUpRate}/s (${r.stoppedBy})${r.clientBound ? ' CLIENT-BOUND' : ''}\n`,
    );
    return r;
  });
  // Per server, the round with the median rate that kept up (its steps come along for the table).
  return o.servers.map((server) => {
    const rs = results.filter((r) => r.server === server).sort((a, b) => a.keptUpRate - b.keptUpRate);
    return rs[Math.floor(rs.length / 2)]!;
  });
}

export function saturationRampTable(rows: RampRow[], o: RampOptions): string {
  const base = rows.find((r) => r.server === 'hocuspocus');
  const lines = [
    `saturation-ramp: ${o.clients} sockets in one document, keystrokes/s raised in steps of ${o.stepSec} s, ` +
      `kept up = >= ${MIN_DELIVERED * 100} % delivered and p99 < ${P99_LIMIT_MS} ms; ${o.rounds} rounds (the median round)`,
    'server        kept up to /s  vs hocuspocus  stopped by',
  ];
  for (const r of rows) {
    const ratio = base?.keptUpRate ? `${(r.keptUpRate / base.keptUpRate).toFixed(2)}x` : '-';
    lines.push(
      `${r.server.padEnd(13)} ${String(r.keptUpRate).padStart(13)}  ${ratio.padStart(13)}  ${r.stoppedBy}${r.clientBound ? ' (CLIENT-BOUND: a floor)' : ''}`,
    );
  }
  lines.push('', 'server        step /s  sent /s  server %core  p50 ms  p99 ms  delivered  client %core');
  for (const r of rows) {
    for (const s of r.steps) {
      lines.push(
        `${r.server.padEnd(13)} ${String(s.rate).padStart(7)}  ${s.keystrokesPerSec.toFixed(0).padStart(7)}  ${s.serverCorePct.toFixed(1).padStart(12)}  ` +
          `${s.p50Ms.toFixed(1).padStart(6)}  ${s.p99Ms.toFixed(1).padStart(6)}  ${(s.deliveredShare * 100).toFixed(2).padStart(8)}%  ${s.clientCorePct.toFixed(0).padStart(12)}`,
      );
    }
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { pinning, pinProcess } = await import('./pinning.ts');
  const path = await import('node:path');
  pinProcess(process.pid, pinning().clients);
  const o: RampOptions = {
    clients: 50,
    steps: process.env.BENCH_RAMP_STEPS ? process.env.BENCH_RAMP_STEPS.split(',').map(Number) : RAMP_STEPS,
    warmupSec: 1,
    stepSec: 3,
    rounds: Number(process.env.BENCH_ROUNDS ?? 1),
    cpuProf: process.env.BENCH_CPU_PROF === '1',
    servers: (process.env.BENCH_SERVERS ?? 'tandem,hocuspocus,y-websocket').split(',') as ServerKind[],
    root: path.resolve(import.meta.dirname, '../..'),
  };
  console.log(saturationRampTable(await runSaturationRamp(o), o));
  process.exit(0);
}
