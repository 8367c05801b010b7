// `npm run bench:cluster`: Tandem's owner forwarding against stock Hocuspocus with @hocuspocus/extension-redis,
// three nodes each (child processes), real clients spread over the nodes: CPU per delivered update on each node,
// writer→reader latency, the cost of forwarding (spread vs at-owner) and several classes spread over the nodes.
// Prints markdown tables (pasted into docs/benchmarks.md by hand) and writes raw JSON to bench/results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from '../collab/procStats.ts';
import { OptionsError, parseOptions, type Scenario } from './options.ts';
import { forwardingCost, scenarioTable, summarize } from './report.ts';
import { type RunResult, runScenario } from './runScenario.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof OptionsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}

const machine = machineInfo();
const startedAt = new Date().toISOString();
const loadAtStart = os.loadavg();
const command = `npm run bench:cluster${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
process.stderr.write(
  `machine: ${machine.nproc} CPUs, ${machine.cpuModel}, Node ${machine.node}; load ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}\n`,
);

const runs: RunResult[] = [];
for (let round = 0; round < options.rounds; round++) {
  for (const scenario of options.scenarios) {
    const systems = scenario === 'at-owner' ? options.systems.filter((s) => s === 'tandem') : options.systems;
    // Alternating the order spreads slow drifts of the machine over both systems.
    const ordered = round % 2 ? [...systems].reverse() : systems;
    for (const system of ordered) {
      process.stderr.write(`round ${round + 1}/${options.rounds} ${scenario} / ${system}\n`);
      const r = await runScenario(system, scenario, options, ROOT);
      process.stderr.write(
        `  p50 ${r.perPeer.p50Ms.toFixed(2)} ms, p99 ${r.perPeer.p99Ms.toFixed(2)} ms, ` +
          `nodes ${r.nodes.map((n) => n.usPerDelivery.toFixed(2)).join(' / ')} µs/delivery (total ${r.totalUsPerDelivery.toFixed(2)}), ` +
          `redis ${r.redisUsPerDelivery.toFixed(2)}, other ${r.otherCores.toFixed(2)} cores, load ${r.loadAvg1.toFixed(2)}\n`,
      );
      runs.push(r);
    }
  }
}

const out: string[] = [
  `Run ${startedAt} (${options.rounds} round(s), medians), \`${command}\`; ${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}.`,
  `Load: each client inserts 1 character every ${options.minIntervalMs}-${options.maxIntervalMs} ms into a ${options.seedChars}-character file; ${options.warmupSec} s warm-up, ${options.durationSec} s measured.`,
  `Tandem node: \`${runs.find((r) => r.system === 'tandem')?.nodeCommand ?? '–'}\`; stock node: \`${runs.find((r) => r.system === 'stock')?.nodeCommand ?? '–'}\`.`,
  '',
];
const summaries = new Map<string, ReturnType<typeof summarize>>();
for (const scenario of options.scenarios) {
  const rows = options.systems
    .map((system) => runs.filter((r) => r.system === system && r.scenario === scenario))
    .filter((rs) => rs.length > 0)
    .map(summarize);
  for (const s of rows) summaries.set(`${s.system}/${scenario}`, s);
  out.push(scenarioTable(scenario as Scenario, rows), '');
}
const spread = summaries.get('tandem/spread');
const atOwner = summaries.get('tandem/at-owner');
if (spread && atOwner) out.push(forwardingCost(spread, atOwner), '');

process.stdout.write(`${out.join('\n')}\n`);
const dir = path.join(ROOT, 'bench/results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `cluster-${startedAt.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(
  file,
  JSON.stringify({ startedAt, command, machine, options, runs, markdown: out.join('\n') }, null, 2),
);
process.stdout.write(`raw results: ${path.relative(ROOT, file)}\n`);
