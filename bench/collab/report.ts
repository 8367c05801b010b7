// Turns scenario results into the console table, the ratios against the stock servers, the raw JSON file and
// the generated block of docs/benchmarks.md. Pure formatting apart from the two file writes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions, ScenarioKind, ServerKind } from './options.ts';
import type { machineInfo } from './procStats.ts';
import type { ScenarioResult } from './scenario.ts';

export interface BenchRun {
  startedAt: string;
  command: string;
  commit: string;
  machine: ReturnType<typeof machineInfo>;
  options: BenchOptions;
  /** Every measurement, one array per round. */
  rounds: ScenarioResult[][];
  /** Per scenario and server, the median of each number over the rounds. */
  summary: ScenarioResult[];
}

/** Median of every numeric field over the rounds of one (scenario, server); other fields from the first. */
export function summarizeRounds(rounds: ScenarioResult[][]): ScenarioResult[] {
  const groups = new Map<string, ScenarioResult[]>();
  for (const r of rounds.flat()) {
    const key = `${r.scenario}\u0000${r.server}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  return [...groups.values()].map((group) => {
    const merged = medianOf(group) as ScenarioResult;
    merged.converged = group.every((r) => r.converged);
    return merged;
  });
}

function medianOf(values: unknown[]): unknown {
  const first = values[0];
  if (typeof first === 'number') {
    const sorted = (values as number[]).filter(Number.isFinite).sort((a, b) => a - b);
    if (sorted.length === 0) return Number.NaN;
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    return Object.fromEntries(
      Object.keys(first).map((k) => [k, medianOf(values.map((v) => (v as Record<string, unknown>)[k]))]),
    );
  }
  return first;
}

const SCENARIO_TITLE: Record<ScenarioKind, string> = {
  'one-doc': 'all clients in one document',
  'many-docs': 'clients spread over documents',
};

interface Column {
  title: string;
  value: (r: ScenarioResult) => number;
  digits: number;
  /** Lower is better: ratios of these are what the target is about. */
  ratio?: boolean;
}

const COLUMNS: Column[] = [
  { title: 'edits/s sent', value: (r) => r.editsPerSec, digits: 0 },
  { title: 'edits/s applied', value: (r) => r.appliedEditsPerSec, digits: 0 },
  { title: 'deliveries/s', value: (r) => r.deliveriesPerSec, digits: 0 },
  { title: 'p50 ms', value: (r) => r.perPeer.p50Ms, digits: 2, ratio: true },
  { title: 'p99 ms', value: (r) => r.perPeer.p99Ms, digits: 2, ratio: true },
  { title: 'all-peers p99 ms', value: (r) => r.allPeers.p99Ms, digits: 2, ratio: true },
  { title: 'server CPU %core', value: (r) => r.serverCpu.corePct, digits: 1, ratio: true },
  { title: 'CPU µs/delivery', value: (r) => r.serverCpu.usPerDelivery, digits: 2, ratio: true },
  { title: 'peak RSS MiB', value: (r) => r.serverMemory.peakRssMiB, digits: 0, ratio: true },
  { title: 'client CPU %core', value: (r) => r.client.corePct, digits: 0 },
  { title: 'other load cores', value: (r) => r.machine.otherCores, digits: 2 },
];

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function groupByScenario(results: ScenarioResult[]): Map<ScenarioKind, Map<ServerKind, ScenarioResult>> {
  const out = new Map<ScenarioKind, Map<ServerKind, ScenarioResult>>();
  for (const r of results) {
    if (!out.has(r.scenario)) out.set(r.scenario, new Map());
    out.get(r.scenario)!.set(r.server, r);
  }
  return out;
}

/** Rows of one scenario's table: one per server, then Tandem / baseline for each baseline present. */
function scenarioRows(byServer: Map<ServerKind, ScenarioResult>): string[][] {
  const rows: string[][] = [];
  for (const [server, r] of byServer) {
    rows.push([server, ...COLUMNS.map((c) => fmt(c.value(r), c.digits))]);
  }
  for (const subject of ['tandem', 'tandem-patched'] as const) {
    const tandem = byServer.get(subject);
    for (const baseline of ['hocuspocus', 'y-websocket'] as const) {
      const base = byServer.get(baseline);
      if (!tandem || !base) continue;
      rows.push([
        `ratio ${subject}/${baseline}`,
        ...COLUMNS.map((c) => (c.ratio ? `${fmt(c.value(tandem) / c.value(base), 2)}x` : '')),
      ]);
    }
  }
  return rows;
}

export function consoleReport(run: BenchRun): string {
  const lines: string[] = [];
  for (const [scenario, byServer] of groupByScenario(run.summary)) {
    const any = byServer.values().next().value!;
    lines.push(
      '',
      `${scenario}: ${SCENARIO_TITLE[scenario]} (${any.clients} clients, ${any.documents} documents)`,
    );
    const header = ['server', ...COLUMNS.map((c) => c.title)];
    const rows = [header, ...scenarioRows(byServer)];
    const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) {
      lines.push(
        row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
      );
    }
  }
  lines.push('', ...[...targetLines(run.summary), ...roundLines(run)].map((l) => l.replace(/\*\*/g, '')));
  return lines.join('\n');
}

/** The issue's target: Tandem's p99 and CPU per delivered update no worse than stock Hocuspocus. */
export function targetLines(results: ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const [scenario, byServer] of groupByScenario(results)) {
    const tandem = byServer.get('tandem');
    const stock = byServer.get('hocuspocus');
    if (!tandem || !stock) continue;
    const p99 = tandem.perPeer.p99Ms / stock.perPeer.p99Ms;
    const cpu = tandem.serverCpu.usPerDelivery / stock.serverCpu.usPerDelivery;
    const verdict = p99 <= 1 && cpu <= 1 ? 'met' : '**not met**';
    lines.push(
      `- ${scenario}: target (tandem/hocuspocus <= 1.0) ${verdict}: p99 ${fmt(p99, 2)}x, CPU per delivered update ${fmt(cpu, 2)}x`,
    );
  }
  return lines;
}

/** Problems that make a measurement doubtful, once per kind of problem and scenario/server. */
export function warnings(results: ScenarioResult[], options: BenchOptions): string[] {
  const found = new Map<string, string[]>();
  const note = (where: string, what: string) => {
    if (!found.has(where)) found.set(where, []);
    const list = found.get(where)!;
    if (!list.includes(what)) list.push(what);
  };
  const offeredPerClient = 2000 / (options.minIntervalMs + options.maxIntervalMs);
  let noisy = 0;
  let worstOther = 0;
  for (const r of results) {
    const where = `${r.scenario}/${r.server}`;
    const sentShare = r.editsPerSec / (r.clients * offeredPerClient);
    if (sentShare < 0.9) {
      note(
        where,
        'clients could not type at the intended rate (client process short of CPU): less load than intended',
      );
    }
    if (!r.converged) note(where, 'documents did not converge');
    if (r.deliveredShare < 0.999) note(where, 'some keystrokes never reached some peers');
    if (r.client.corePct > 85)
      note(where, 'client process near a full core: latency includes client-side queueing');
    if (r.machine.otherCores > 0.25) noisy++;
    worstOther = Math.max(worstOther, r.machine.otherCores);
  }
  const out = [...found].map(([where, what]) => `${where}: ${what.join('; ')}`);
  if (noisy > 0) {
    out.push(
      `other processes used more than 0.25 cores in ${noisy} of ${results.length} windows (up to ` +
        `${worstOther.toFixed(2)} of ${os.availableParallelism()}): latency percentiles are noisy, compare rounds`,
    );
  }
  return out;
}

/** One line per scenario: p99 and CPU per delivery of every round, to show how much they moved. */
export function roundLines(run: BenchRun): string[] {
  if (run.rounds.length < 2) return [];
  const lines: string[] = [];
  for (const scenario of run.options.scenarios) {
    const parts = run.options.servers.map((server) => {
      const rs = run.rounds.map((round) => round.find((r) => r.scenario === scenario && r.server === server));
      const p99 = rs.map((r) => fmt(r?.perPeer.p99Ms ?? Number.NaN, 1)).join('/');
      const cpu = rs.map((r) => fmt(r?.serverCpu.usPerDelivery ?? Number.NaN, 1)).join('/');
      return `${server} p99 ${p99} ms, ${cpu} µs/delivery`;
    });
    lines.push(`- ${scenario} per round: ${parts.join('; ')}`);
  }
  return lines;
}

export function writeJson(run: BenchRun, root: string): string {
  const dir = path.join(root, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `collab-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}

export const DOCS_BEGIN =
  '<!-- bench:collab:begin (generated by npm run bench; edits inside are overwritten) -->';
export const DOCS_END = '<!-- bench:collab:end -->';

export function markdownBlock(run: BenchRun): string {
  const m = run.machine;
  const o = run.options;
  const tandem = run.summary.find((r) => r.server === 'tandem');
  const lines = [
    DOCS_BEGIN,
    `Run ${run.startedAt} at commit \`${run.commit}\`.`,
    '',
    `- Machine: ${m.nproc} CPUs (nproc), ${m.cpuModel}, ${m.memoryGiB} GiB RAM; ${m.os}; Node ${m.node}.`,
    `- Command: \`${run.command}\``,
    `- Load: ${o.clients} clients, each inserting 1 character every ${o.minIntervalMs}-${o.maxIntervalMs} ms ` +
      `(uniform jitter) into a ${o.seedChars}-character file; ${o.warmupSec} s warm-up, ${o.durationSec} s measured ` +
      `per scenario; many-docs puts ${o.clientsPerDoc} clients in each document. ${o.rounds} round(s), server ` +
      'order rotated each round; the tables show the median of each number over the rounds.',
    ...(tandem
      ? [
          `- Tandem server: \`${Object.entries(tandem.serverEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')} ${tandem.serverCommand}\` (default rate limits unless listed).`,
        ]
      : []),
  ];
  const header = ['server', ...COLUMNS.map((c) => c.title)];
  for (const [scenario, byServer] of groupByScenario(run.summary)) {
    const any = byServer.values().next().value!;
    lines.push(
      '',
      `#### ${scenario}: ${SCENARIO_TITLE[scenario]} (${any.clients} clients, ${any.documents} document${any.documents > 1 ? 's' : ''})`,
      '',
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...scenarioRows(byServer).map((row) => `| ${row.join(' | ')} |`),
    );
  }
  if (run.summary.some((r) => r.server === 'tandem-patched')) {
    lines.push(
      '',
      `- tandem-patched is a diagnosis run, not a shipped configuration: Tandem with \`${run.options.patches.join(',')}\` ` +
        'applied at runtime (bench/collab/servers/tandemPatched.ts).',
    );
  }
  lines.push('', ...targetLines(run.summary), ...roundLines(run));
  const warned = warnings(run.rounds.flat(), run.options);
  if (warned.length) lines.push('', ...warned.map((w) => `- Warning: ${w}`));
  lines.push(DOCS_END);
  return lines.join('\n');
}

/**
 * Replaces the generated block inside `## Collaboration` of docs/benchmarks.md, keeping everything else
 * (hand-written analysis, other sections such as `## Media`). Creates the file or section if missing.
 */
export function updateDocs(file: string, block: string, sectionIntro: string): void {
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin >= 0 && end > begin) {
    text = text.slice(0, begin) + block + text.slice(end + DOCS_END.length);
  } else if (/^## Collaboration\s*$/m.test(text)) {
    text = text.replace(/^## Collaboration\s*$/m, (heading) => `${heading}\n\n${block}\n`);
  } else {
    text = `${text.trimEnd()}\n\n## Collaboration\n\n${sectionIntro}\n\n### Latest run\n\n${block}\n`;
  }
  fs.writeFileSync(file, text);
}
