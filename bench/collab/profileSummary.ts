// Where a server's time went during the measured window, from the V8 CPU profile `--cpu-prof` wrote:
// self and inclusive time per function, and self time per package or source file.
//   node --import tsx bench/collab/profileSummary.ts bench/results/collab-<time>.json [--server tandem]
//        [--scenario many-docs] [--round 1] [--top 30]
//   node --import tsx bench/collab/profileSummary.ts <file.cpuprofile> [--top 30]   (whole profile)
import fs from 'node:fs';
import path from 'node:path';
import type { BenchRun } from './report.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface ProfileBreakdown {
  windowMs: number;
  busyMs: number;
  selfByFunction: [string, number][];
  totalByFunction: [string, number][];
  selfByPlace: [string, number][];
  /** The longest stretches without an idle sample: event-loop stalls, with where their time went. */
  longestBusy: { ms: number; atMs: number; top: [string, number][] }[];
}

/** Stretches shorter than this are ordinary message handling, not stalls. */
const STALL_MIN_US = 2000;

/** Attributes every sample inside [fromUs, toUs] (profile clock) to its function, callers and place. */
function breakdown(profile: CpuProfile, fromUs = -Infinity, toUs = Infinity): ProfileBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const place = new Map<string, number>();
  let at = profile.startTime;
  let windowUs = 0;
  let busyUs = 0;
  const stalls: ProfileBreakdown['longestBusy'] = [];
  let run: { startUs: number; us: number; inside: Map<string, number> } | undefined;
  const closeRun = () => {
    if (run && run.us >= STALL_MIN_US) {
      stalls.push({
        ms: run.us / 1000,
        atMs: (run.startUs - fromUsOr(profile, fromUs)) / 1000,
        top: [...run.inside.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([k, us]) => [k, us / 1000]),
      });
    }
    run = undefined;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    // A sample's weight is the time until the next one (the last sample gets its own delta).
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i]!;
    if (at < fromUs || at > toUs) continue;
    windowUs += weight;
    const node = byId.get(profile.samples[i]!)!;
    const key = functionKey(node);
    add(self, key, weight);
    add(place, placeOf(node), weight);
    if (node.callFrame.functionName === '(idle)') {
      closeRun();
    } else {
      busyUs += weight;
      run ??= { startUs: at, us: 0, inside: new Map() };
      run.us += weight;
      // Name a stretch by the innermost JS function (native frames have no URL).
      add(run.inside, innermostScript(node, byId, parent), weight);
    }
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = functionKey(byId.get(id)!);
      if (!seen.has(k)) {
        seen.add(k);
        add(total, k, weight);
      }
    }
  }
  closeRun();
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].map(([k, us]) => [k, us / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return {
    windowMs: windowUs / 1000,
    busyMs: busyUs / 1000,
    selfByFunction: sorted(self),
    totalByFunction: sorted(total).filter(([k]) => !k.startsWith('(root)')),
    selfByPlace: sorted(place),
    longestBusy: stalls.sort((a, b) => b.ms - a.ms),
  };
}

function fromUsOr(profile: CpuProfile, fromUs: number): number {
  return Number.isFinite(fromUs) ? fromUs : profile.startTime;
}

function innermostScript(
  node: ProfileNode,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
): string {
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const n = byId.get(id)!;
    if (n.callFrame.url) return functionKey(n);
  }
  return functionKey(node);
}

function add(m: Map<string, number>, key: string, us: number): void {
  m.set(key, (m.get(key) ?? 0) + us);
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const src = /\/(server|shared|bench)\/src\/.*$|\/bench\/.*$/.exec(url);
  return src ? src[0].slice(1) : url.replace(/^file:\/\//, '');
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
}

/** A package (node_modules/<pkg>), a Tandem source file, Node's own JS, or a V8 pseudo-frame. */
function placeOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  if (url.startsWith('node:')) return 'node: internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return shortUrl(url);
}

function formatBreakdown(b: ProfileBreakdown, top: number): string {
  const pct = (ms: number) => `${((100 * ms) / b.windowMs).toFixed(1).padStart(5)} %`;
  const row = ([k, ms]: [string, number]) => `  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${k}`;
  return [
    `window ${b.windowMs.toFixed(0)} ms, busy (not idle) ${b.busyMs.toFixed(0)} ms = ${pct(b.busyMs)} of the window`,
    '',
    'self time by place:',
    ...b.selfByPlace.slice(0, top).map(row),
    '',
    'self time by function:',
    ...b.selfByFunction.slice(0, top).map(row),
    '',
    'inclusive time by function:',
    ...b.totalByFunction.slice(0, top).map(row),
    '',
    `longest busy stretches (event-loop stalls >= ${STALL_MIN_US / 1000} ms: ${b.longestBusy.length}):`,
    ...b.longestBusy
      .slice(0, 10)
      .map(
        (s) =>
          `  ${s.ms.toFixed(1).padStart(7)} ms at +${(s.atMs / 1000).toFixed(2)} s: ` +
          s.top.map(([k, ms]) => `${k} ${ms.toFixed(1)} ms`).join('; '),
      ),
  ].join('\n');
}

function main(argv: string[]): void {
  const file = argv[0];
  if (!file) {
    process.stderr.write(
      'usage: profileSummary.ts <results.json | file.cpuprofile> [--server S] [--scenario S] [--round N] [--top N]\n',
    );
    process.exit(2);
  }
  const flag = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const top = Number(flag('top') ?? 30);
  if (file.endsWith('.cpuprofile')) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${formatBreakdown(breakdown(profile), top)}\n`);
    return;
  }
  const run = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchRun;
  const root = path.resolve(path.dirname(file), '../..');
  const server = flag('server') ?? 'tandem';
  const scenario = flag('scenario');
  const round = flag('round');
  for (const [i, results] of run.rounds.entries()) {
    if (round && Number(round) !== i + 1) continue;
    for (const r of results) {
      if (r.server !== server || (scenario && r.scenario !== scenario) || !r.cpuProfile) continue;
      const profile = JSON.parse(fs.readFileSync(path.join(root, r.cpuProfile), 'utf8')) as CpuProfile;
      const b = breakdown(profile, r.windowMonotonicUs.start, r.windowMonotonicUs.end);
      process.stdout.write(`\n=== round ${i + 1} ${r.scenario} / ${r.server} (${r.cpuProfile}) ===\n`);
      process.stdout.write(`${formatBreakdown(b, top)}\n`);
    }
  }
}

main(process.argv.slice(2));
