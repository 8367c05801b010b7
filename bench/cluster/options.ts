// Settings of `npm run bench:cluster`: defaults and `--flag value` arguments. Pure; run.ts is the only caller.
import type { SystemKind } from './nodes.ts';

/**
 * spread: one class, one document, its clients entering at the three nodes in turn; at-owner: the same with
 * every client entering at the class's owner (Tandem only: the cost of forwarding is the difference);
 * classes: several classes, each owned by a different node in turn, each class's clients spread over all three.
 */
export const SCENARIOS = ['spread', 'at-owner', 'classes'] as const;
export type Scenario = (typeof SCENARIOS)[number];
export const SYSTEMS: readonly SystemKind[] = ['tandem', 'stock'];

export interface ClusterBenchOptions {
  /** Clients of the one document in spread / at-owner. */
  clients: number;
  classes: number;
  clientsPerClass: number;
  durationSec: number;
  warmupSec: number;
  rounds: number;
  minIntervalMs: number;
  maxIntervalMs: number;
  seedChars: number;
  systems: SystemKind[];
  scenarios: Scenario[];
}

export const DEFAULTS: Readonly<ClusterBenchOptions> = Object.freeze({
  clients: 30,
  classes: 6,
  clientsPerClass: 8,
  durationSec: 12,
  warmupSec: 3,
  rounds: 2,
  minIntervalMs: 100,
  maxIntervalMs: 200,
  seedChars: 2000,
  systems: [...SYSTEMS],
  scenarios: [...SCENARIOS],
});

export const USAGE = `npm run bench:cluster -- [options]
  --clients N            clients of the one document in spread / at-owner (default ${DEFAULTS.clients})
  --classes N            classes in the classes scenario (default ${DEFAULTS.classes})
  --clients-per-class N  clients of each class's document there (default ${DEFAULTS.clientsPerClass})
  --duration S           measured seconds per run (default ${DEFAULTS.durationSec})
  --warmup S             typing seconds before measuring (default ${DEFAULTS.warmupSec})
  --rounds N             repeat everything, system order alternating; medians reported (default ${DEFAULTS.rounds})
  --interval MIN-MAX     ms between one client's keystrokes, uniform (default 100-200)
  --systems LIST         comma list of ${SYSTEMS.join(', ')} (default both)
  --scenarios LIST       comma list of ${SCENARIOS.join(', ')} (default all; at-owner runs for Tandem only)`;

export class OptionsError extends Error {}

export function parseOptions(argv: string[]): ClusterBenchOptions {
  const o: ClusterBenchOptions = {
    ...DEFAULTS,
    systems: [...DEFAULTS.systems],
    scenarios: [...DEFAULTS.scenarios],
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    if (flag === '--help') throw new OptionsError(USAGE);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new OptionsError(`${flag} needs a value\n${USAGE}`);
    const whole = (min: number, max: number) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max)
        throw new OptionsError(`${flag}: a whole number ${min}-${max}`);
      return n;
    };
    const list = <T extends string>(allowed: readonly T[]): T[] => {
      const items = value.split(',') as T[];
      const bad = items.find((x) => !allowed.includes(x));
      if (bad !== undefined || items.length === 0)
        throw new OptionsError(`${flag}: one or more of ${allowed.join(', ')}`);
      return items;
    };
    switch (flag) {
      case '--clients':
        o.clients = whole(3, 300);
        break;
      case '--classes':
        o.classes = whole(1, 60);
        break;
      case '--clients-per-class':
        o.clientsPerClass = whole(3, 100);
        break;
      case '--duration':
        o.durationSec = whole(1, 600);
        break;
      case '--warmup':
        o.warmupSec = whole(0, 60);
        break;
      case '--rounds':
        o.rounds = whole(1, 20);
        break;
      case '--interval': {
        const m = /^(\d+)-(\d+)$/.exec(value);
        if (!m || Number(m[1]) < 10 || Number(m[2]) < Number(m[1]))
          throw new OptionsError(`${flag}: MIN-MAX ms, MIN >= 10`);
        o.minIntervalMs = Number(m[1]);
        o.maxIntervalMs = Number(m[2]);
        break;
      }
      case '--systems':
        o.systems = list(SYSTEMS);
        break;
      case '--scenarios':
        o.scenarios = list(SCENARIOS);
        break;
      default:
        throw new OptionsError(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return o;
}
