// The benchmark's settings: defaults, `--flag value` / `--flag=value` arguments and BENCH_* environment
// variables (arguments win). Pure; the run script is the only caller.
import { PATCHES } from './patches.ts';

export const SERVER_KINDS = ['tandem', 'hocuspocus', 'y-websocket'] as const;
/** Only on request (--servers): Tandem with hot spots patched at runtime, to measure a fix (see --patch). */
export const DIAGNOSTIC_SERVER_KINDS = ['tandem-patched'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number] | (typeof DIAGNOSTIC_SERVER_KINDS)[number];

export function isTandem(kind: ServerKind): boolean {
  return kind === 'tandem' || kind === 'tandem-patched';
}

export const SCENARIO_KINDS = ['one-doc', 'many-docs'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];
/**
 * Scenarios of issue #19 with their own raw-socket clients (presenceClass.ts, saturationRamp.ts,
 * joins/joinStorm.ts, idleMemory.ts).
 */
export const CLASS_SCENARIO_KINDS = [
  'presence-class',
  'steady-typing',
  'saturation-ramp',
  'join-storm',
  'cold-load',
  'idle-memory',
] as const;
export type ClassScenarioKind = (typeof CLASS_SCENARIO_KINDS)[number];

export const MAX_CLIENTS = 500;

export interface BenchOptions {
  clients: number;
  /** Clients per document in the many-docs scenario. */
  clientsPerDoc: number;
  /** Measured window per scenario, after the warm-up. */
  durationSec: number;
  warmupSec: number;
  /** Times the whole server x scenario matrix runs (server order rotated each round); medians are reported. */
  rounds: number;
  /** Each client inserts one character, then waits a uniformly random delay in this range. */
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Characters in each document before typing starts (a small source file). */
  seedChars: number;
  servers: ServerKind[];
  scenarios: ScenarioKind[];
  classScenarios: ClassScenarioKind[];
  /** Extra node flags for every server child (diagnosis: --perf-basic-prof, --trace-gc). */
  serverNodeArgs: string[];
  /** Write a V8 CPU profile of each server child into bench/results/profiles. */
  cpuProf: boolean;
  /** Count the server's socket-write system calls in the window with strace (slows the server: CPU not comparable). */
  strace: boolean;
  /** Rewrite the generated part of docs/benchmarks.md. */
  writeDocs: boolean;
  /** Extra environment for the Tandem server child, e.g. RATE_LIMIT_MESSAGES_PER_SEC=600. */
  tandemEnv: Record<string, string>;
  /** Patches for the tandem-patched server (servers/tandemPatched.ts). */
  patches: string[];
}

export const DEFAULT_OPTIONS: Readonly<BenchOptions> = Object.freeze({
  clients: 50,
  clientsPerDoc: 10,
  durationSec: 12,
  warmupSec: 3,
  rounds: 2,
  minIntervalMs: 100,
  maxIntervalMs: 200,
  seedChars: 2000,
  servers: [...SERVER_KINDS],
  scenarios: [...SCENARIO_KINDS],
  classScenarios: [...CLASS_SCENARIO_KINDS],
  serverNodeArgs: [],
  cpuProf: false,
  strace: false,
  writeDocs: true,
  tandemEnv: {},
  patches: ['append-off', 'no-metrics'],
});

export const USAGE = `npm run bench -- [options]
  --clients N            simulated clients (default 50, max ${MAX_CLIENTS}; env BENCH_CLIENTS)
  --clients-per-doc N    clients per document in the many-docs scenario (default 10)
  --duration S           measured seconds per scenario (default 12; env BENCH_DURATION)
  --warmup S             typing seconds before measuring (default 3)
  --rounds N             repeat everything N times, server order rotated; medians reported (default 2; env BENCH_ROUNDS)
  --interval MIN-MAX     ms between one client's keystrokes, uniform (default 100-200)
  --seed-chars N         characters in each document before typing (default 2000)
  --servers LIST         comma list of ${SERVER_KINDS.join(', ')} (default all), or ${DIAGNOSTIC_SERVER_KINDS.join(', ')}
  --patch LIST           what tandem-patched changes: ${PATCHES.join(', ')}
                         (default append-off,no-metrics)
  --scenarios LIST       comma list of ${[...SCENARIO_KINDS, ...CLASS_SCENARIO_KINDS].join(', ')} (default all)
                         (presence-class: 200 raw sockets typing 5 chars/s with a cursor update per keystroke;
                         saturation-ramp: 50 sockets, 1,000 to 40,000 keystrokes/s until a server falls behind;
                         join-storm and cold-load: 200 joiners of a 1.4 MB document, its load from disk;
                         idle-memory: heap per document+connection; each with stock Hocuspocus and y-websocket)
  --tandem-env K=V,...   extra environment for the Tandem server (e.g. RATE_LIMIT_MESSAGES_PER_SEC=600)
  --database-url URL     run Tandem on PostgreSQL at URL (its DATABASE_URL; env BENCH_DATABASE_URL); default SQLite
  --server-node-args A   extra node flags for the server children, space-separated (e.g. --perf-basic-prof)
  --cpu-prof             write a .cpuprofile per server child to bench/results/profiles
  --strace               count the server's socket writes (write/writev/sendmsg) per delivery with strace;
                         tracing slows the server, so CPU figures of such a run are not comparable
  --no-docs              do not rewrite docs/benchmarks.md`;

export class OptionsError extends Error {
  override name = 'OptionsError';
}

const ENV_FLAGS: Record<string, string> = {
  BENCH_CLIENTS: 'clients',
  BENCH_CLIENTS_PER_DOC: 'clients-per-doc',
  BENCH_DURATION: 'duration',
  BENCH_WARMUP: 'warmup',
  BENCH_ROUNDS: 'rounds',
  BENCH_INTERVAL: 'interval',
  BENCH_SERVERS: 'servers',
  BENCH_SCENARIOS: 'scenarios',
  BENCH_DATABASE_URL: 'database-url',
};

export function parseOptions(argv: readonly string[], env: Record<string, string | undefined>): BenchOptions {
  const raw = new Map<string, string>();
  for (const [variable, flag] of Object.entries(ENV_FLAGS)) {
    const value = env[variable];
    if (value) raw.set(flag, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new OptionsError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'cpu-prof' || name === 'strace' || name === 'no-docs' || name === 'help') {
      raw.set(name, 'true');
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new OptionsError(`--${name} needs a value`);
    raw.set(name, value);
  }
  if (raw.has('help')) throw new OptionsError(USAGE);

  const o: BenchOptions = {
    ...DEFAULT_OPTIONS,
    scenarios: [...DEFAULT_OPTIONS.scenarios],
    classScenarios: [...DEFAULT_OPTIONS.classScenarios],
    tandemEnv: {},
    serverNodeArgs: [],
    patches: [...DEFAULT_OPTIONS.patches],
  };
  for (const [name, value] of raw) {
    switch (name) {
      case 'clients':
        o.clients = int(name, value, 2, MAX_CLIENTS);
        break;
      case 'clients-per-doc':
        o.clientsPerDoc = int(name, value, 2, MAX_CLIENTS);
        break;
      case 'duration':
        o.durationSec = int(name, value, 1, 3600);
        break;
      case 'warmup':
        o.warmupSec = int(name, value, 0, 600);
        break;
      case 'rounds':
        o.rounds = int(name, value, 1, 20);
        break;
      case 'seed-chars':
        o.seedChars = int(name, value, 0, 1_000_000);
        break;
      case 'interval': {
        const [min = '', max = min] = value.split('-');
        o.minIntervalMs = int(name, min, 1, 60_000);
        o.maxIntervalMs = int(name, max, o.minIntervalMs, 60_000);
        break;
      }
      case 'servers':
        o.servers = list(name, value, [...SERVER_KINDS, ...DIAGNOSTIC_SERVER_KINDS]);
        break;
      case 'patch':
        o.patches = list(name, value, PATCHES);
        break;
      case 'scenarios': {
        const all = list(name, value, [...SCENARIO_KINDS, ...CLASS_SCENARIO_KINDS]);
        o.scenarios = all.filter((k): k is ScenarioKind => (SCENARIO_KINDS as readonly string[]).includes(k));
        o.classScenarios = all.filter((k): k is ClassScenarioKind =>
          (CLASS_SCENARIO_KINDS as readonly string[]).includes(k),
        );
        break;
      }
      case 'server-node-args':
        o.serverNodeArgs = value.split(' ').filter(Boolean);
        break;
      case 'tandem-env':
        o.tandemEnv = { ...o.tandemEnv, ...keyValues(value) };
        break;
      case 'database-url':
        if (!/^postgres(ql)?:\/\//.test(value))
          throw new OptionsError('--database-url expects a postgres:// URL');
        o.tandemEnv = { ...o.tandemEnv, DATABASE_URL: value };
        break;
      case 'cpu-prof':
        o.cpuProf = true;
        break;
      case 'strace':
        o.strace = true;
        break;
      case 'no-docs':
        o.writeDocs = false;
        break;
      default:
        throw new OptionsError(`unknown option --${name}\n${USAGE}`);
    }
  }
  if (o.clientsPerDoc > o.clients) o.clientsPerDoc = o.clients;
  return o;
}

function int(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new OptionsError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

function list<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw new OptionsError(`--${name}: unknown "${item}" (expected ${allowed.join(', ')})`);
    }
  }
  if (items.length === 0) throw new OptionsError(`--${name} needs at least one of ${allowed.join(', ')}`);
  return items as T[];
}

function keyValues(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new OptionsError(`--tandem-env expects KEY=VALUE pairs, got "${pair}"`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}
