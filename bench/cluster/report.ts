// Tables of `npm run bench:cluster`: for each scenario, each system's median over the rounds (latency, CPU per
// delivered update on each node, the shared services), Tandem / stock ratios per node and in total, and what
// forwarding costs (spread minus at-owner). Markdown, so the same text goes to the console and to docs.
import type { Scenario } from './options.ts';
import type { RunResult } from './runScenario.ts';

const TITLES: Record<Scenario, string> = {
  spread: 'spread: one class, one document, clients entering at the three nodes in turn',
  'at-owner':
    "at-owner: the same class, every client entering at its owner (Tandem's forwarding-free baseline)",
  classes: 'classes: several classes, owners spread over the three nodes, each class entering at all three',
};

export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** The median of each number over the rounds of one (system, scenario). */
export interface Summary {
  system: string;
  scenario: Scenario;
  rounds: number;
  clients: number;
  documents: number;
  editsPerSec: number;
  deliveriesPerSec: number;
  deliveredShare: number;
  p50Ms: number;
  p99Ms: number;
  allPeersP99Ms: number;
  nodes: { nodeId: string; owns: number; clientsEntered: number; usPerDelivery: number; corePct: number }[];
  totalUsPerDelivery: number;
  pgUsPerDelivery: number;
  redisUsPerDelivery: number;
  /** Nodes + their PostgreSQL backends + Redis: everything the system spends on relaying and storing. */
  systemUsPerDelivery: number;
  clientCorePct: number;
  otherCores: number;
  loadAvg1: number;
  converged: boolean;
}

export function summarize(runs: RunResult[]): Summary {
  const m = (f: (r: RunResult) => number) => median(runs.map(f));
  const first = runs[0]!;
  return {
    system: first.system,
    scenario: first.scenario,
    rounds: runs.length,
    clients: first.clients,
    documents: first.documents,
    editsPerSec: m((r) => r.editsPerSec),
    deliveriesPerSec: m((r) => r.deliveriesPerSec),
    deliveredShare: m((r) => r.deliveredShare),
    p50Ms: m((r) => r.perPeer.p50Ms),
    p99Ms: m((r) => r.perPeer.p99Ms),
    allPeersP99Ms: m((r) => r.allPeers.p99Ms),
    nodes: first.nodes.map((n, i) => ({
      nodeId: n.nodeId,
      owns: n.owns,
      clientsEntered: n.clientsEntered,
      usPerDelivery: m((r) => r.nodes[i]!.usPerDelivery),
      corePct: m((r) => r.nodes[i]!.corePct),
    })),
    totalUsPerDelivery: m((r) => r.totalUsPerDelivery),
    pgUsPerDelivery: m((r) => r.nodes.reduce((s, n) => s + (n.pgUsPerDelivery ?? 0), 0)),
    redisUsPerDelivery: m((r) => r.redisUsPerDelivery),
    systemUsPerDelivery: m(
      (r) =>
        r.totalUsPerDelivery +
        r.nodes.reduce((s, n) => s + (n.pgUsPerDelivery ?? 0), 0) +
        (Number.isNaN(r.redisUsPerDelivery) ? 0 : r.redisUsPerDelivery),
    ),
    clientCorePct: m((r) => r.clientCorePct),
    otherCores: m((r) => r.otherCores),
    loadAvg1: m((r) => r.loadAvg1),
    converged: runs.every((r) => r.converged),
  };
}

const f = (x: number, digits = 2) => (Number.isNaN(x) ? '–' : x.toFixed(digits));
const ratio = (a: number, b: number) => (b > 0 && !Number.isNaN(a) ? `${(a / b).toFixed(2)}x` : '–');

function nodeCell(n: Summary['nodes'][number], system: string): string {
  const role = system === 'tandem' ? (n.owns > 0 ? `owns ${n.owns}` : 'forwards') : 'applies all';
  return `${f(n.usPerDelivery)} (${f(n.corePct, 1)} %, ${role}, ${n.clientsEntered} in)`;
}

export function scenarioTable(scenario: Scenario, rows: Summary[]): string {
  const head =
    '| system | edits/s | deliveries/s | p50 ms | p99 ms | all-peers p99 ms | node 1 µs/delivery (%core, role, clients in) | node 2 | node 3 | 3 nodes µs/delivery | their PG backends µs/delivery | Redis µs/delivery | system µs/delivery (nodes + PG + Redis) | client %core | other cores | load avg 1 min |';
  const lines = [`#### ${TITLES[scenario]}`, '', head, `|---|${'---:|'.repeat(15)}`];
  for (const s of rows) {
    lines.push(
      `| ${s.system} | ${f(s.editsPerSec, 0)} | ${f(s.deliveriesPerSec, 0)} | ${f(s.p50Ms)} | ${f(s.p99Ms)} | ${f(s.allPeersP99Ms)} | ${s.nodes
        .map((n) => nodeCell(n, s.system))
        .join(
          ' | ',
        )} | ${f(s.totalUsPerDelivery)} | ${s.system === 'tandem' ? f(s.pgUsPerDelivery) : '–'} | ${f(s.redisUsPerDelivery)} | ${f(s.systemUsPerDelivery)} | ${f(s.clientCorePct, 0)} | ${f(s.otherCores)} | ${f(s.loadAvg1)} |${s.converged ? '' : ' NOT CONVERGED'}${s.deliveredShare < 0.999 ? ` only ${f(100 * s.deliveredShare, 1)} % delivered` : ''}`,
    );
  }
  const tandem = rows.find((r) => r.system === 'tandem');
  const stock = rows.find((r) => r.system === 'stock');
  if (tandem && stock) {
    lines.push(
      `| ratio tandem/stock |  |  | ${ratio(tandem.p50Ms, stock.p50Ms)} | ${ratio(tandem.p99Ms, stock.p99Ms)} | ${ratio(tandem.allPeersP99Ms, stock.allPeersP99Ms)} | ${tandem.nodes
        .map((n, i) => ratio(n.usPerDelivery, stock.nodes[i]!.usPerDelivery))
        .join(
          ' | ',
        )} | ${ratio(tandem.totalUsPerDelivery, stock.totalUsPerDelivery)} |  | ${ratio(tandem.redisUsPerDelivery, stock.redisUsPerDelivery)} | ${ratio(tandem.systemUsPerDelivery, stock.systemUsPerDelivery)} |  |  |  |`,
    );
  }
  return lines.join('\n');
}

/** Tandem spread minus Tandem at-owner: what entering at non-owners costs, per delivered update. */
export function forwardingCost(spread: Summary, atOwner: Summary): string {
  const total = spread.totalUsPerDelivery - atOwner.totalUsPerDelivery;
  return [
    `Forwarding cost (Tandem spread − at-owner, medians): ${f(total)} µs of node CPU per delivered update ` +
      `(${f(spread.totalUsPerDelivery)} vs ${f(atOwner.totalUsPerDelivery)}, ${ratio(spread.totalUsPerDelivery, atOwner.totalUsPerDelivery)}); ` +
      `per node spread ${spread.nodes.map((n) => f(n.usPerDelivery)).join(' / ')} vs at-owner ${atOwner.nodes.map((n) => f(n.usPerDelivery)).join(' / ')}; ` +
      `p50 ${f(spread.p50Ms)} vs ${f(atOwner.p50Ms)} ms, p99 ${f(spread.p99Ms)} vs ${f(atOwner.p99Ms)} ms.`,
  ].join('\n');
}
