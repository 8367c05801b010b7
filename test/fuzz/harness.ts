// The fuzz loop shared by the bounded test and the long run: batches of generated cases per target run
// against a live server with some concurrency, each case's own outcome checked (no 5xx, no internal error,
// every media request answered), then the witnesses' invariant after each batch. Findings carry the seed,
// batch and the exact cases to replay.
import { type FuzzCase, type Outcome, runCase, type TargetName } from './cases.ts';
import { TokenMint } from './identities.ts';
import { Rng } from './prng.ts';
import { collabCase } from './targets/collab.ts';
import type { CaseGenerator, TargetEnv } from './targets/env.ts';
import { mediaCase } from './targets/media.ts';
import { restCase } from './targets/rest.ts';
import { yjsCase } from './targets/yjs.ts';
import { type MemoryBounds, readRtpCapabilities, WITNESS_CLIENT_IDS, Witnesses } from './witness.ts';

const GENERATORS: Record<TargetName, CaseGenerator> = {
  collab: collabCase,
  yjs: yjsCase,
  media: mediaCase,
  rest: restCase,
};

export interface Finding {
  /** `case`: one request misbehaved; `batch`: an invariant broke after a batch (culprit among its cases). */
  kind: 'case' | 'batch';
  target: TargetName | 'all';
  seed: number;
  batch: number;
  problem: string;
  /** How often this problem (digits ignored) was seen. */
  count: number;
  /** The case(s) to replay: one for a case finding, the whole batch (or its culprit) for a batch finding. */
  cases: FuzzCase[];
  /** Index of a case within the batch (for `case` findings and attributed batch findings). */
  caseIndex?: number;
  /** What the runner learned while attributing it (server output, culprit index). */
  extra?: Record<string, unknown>;
}

export interface FuzzStats {
  batches: number;
  cases: Record<string, number>;
  frames: Record<string, number>;
  /** Outcome tallies per target (`close 4400`, `http 404`, ...). */
  results: Record<string, Record<string, number>>;
  findings: Finding[];
}

export interface FuzzOptions {
  httpUrl: string;
  secret: string;
  targets: readonly TargetName[];
  seed: number;
  casesPerBatch: number;
  concurrency: number;
  memory: MemoryBounds;
  /** Stop after this many batches or at this time, whichever first. */
  maxBatches?: number;
  deadline?: number;
  /** Media cases need the router's capabilities and the witnesses check /media when this is on. */
  media: boolean;
  log?: (line: string) => void;
  onFinding?: (finding: Finding) => void;
  /** After an invariant broke: may restart the server; resolves false to stop the run. */
  afterBrokenBatch?: (finding: Finding) => Promise<boolean>;
}

export function emptyStats(): FuzzStats {
  return { batches: 0, cases: {}, frames: {}, results: {}, findings: [] };
}

/** Generates the cases of one batch for one target: a pure function of (seed, target, batch). */
export async function generateBatch(
  target: TargetName,
  seed: number,
  batch: number,
  count: number,
  env: TargetEnv,
): Promise<FuzzCase[]> {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++)
    cases.push(await GENERATORS[target](Rng.derive(seed, target, batch, i), env));
  return cases;
}

export async function targetEnv(httpUrl: string, secret: string, media: boolean): Promise<TargetEnv> {
  return {
    mint: new TokenMint(secret),
    frames: { witnessClientIds: WITNESS_CLIENT_IDS },
    rtpCapabilities: media ? await readRtpCapabilities(httpUrl) : { codecs: [], headerExtensions: [] },
  };
}

async function runAll(httpUrl: string, cases: FuzzCase[], concurrency: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, cases.length) }, async () => {
      while (next < cases.length) {
        const i = next++;
        outcomes[i] = await runCase(httpUrl, cases[i]!);
      }
    }),
  );
  return outcomes;
}

async function answersHealth(httpUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) })).status === 200;
  } catch {
    return false;
  }
}

const framesOf = (c: FuzzCase) => (c.kind === 'ws' ? c.steps.length : 1);
const problemKey = (target: string, problem: string) =>
  `${target}|${problem.replace(/\d+/g, 'N').slice(0, 100)}`;

/** Runs batches until `maxBatches` or `deadline`; findings are also reported through `onFinding`. */
export async function runFuzz(opts: FuzzOptions, stats: FuzzStats = emptyStats()): Promise<FuzzStats> {
  const log = opts.log ?? (() => undefined);
  let env = await targetEnv(opts.httpUrl, opts.secret, opts.media);
  let witnesses = await Witnesses.start(opts.httpUrl, env.mint, { media: opts.media });
  const seen = new Map<string, Finding>();
  const record = (f: Finding) => {
    const key = problemKey(f.target, f.problem);
    const known = seen.get(key);
    if (known) return void known.count++;
    seen.set(key, f);
    stats.findings.push(f);
    opts.onFinding?.(f);
  };
  try {
    for (let batch = 0; ; batch++) {
      if (opts.maxBatches !== undefined && batch >= opts.maxBatches) break;
      if (opts.deadline !== undefined && Date.now() >= opts.deadline) break;
      const batchCases: FuzzCase[] = [];
      for (const target of opts.targets) {
        const cases = await generateBatch(target, opts.seed, batch, opts.casesPerBatch, env);
        const outcomes = await runAll(opts.httpUrl, cases, opts.concurrency);
        batchCases.push(...cases);
        stats.cases[target] = (stats.cases[target] ?? 0) + cases.length;
        stats.frames[target] = (stats.frames[target] ?? 0) + cases.reduce((s, c) => s + framesOf(c), 0);
        stats.results[target] ??= {};
        const tally = stats.results[target];
        outcomes.forEach((o, i) => {
          tally[o.result] = (tally[o.result] ?? 0) + 1;
          if (o.problem)
            record({
              kind: 'case',
              target,
              seed: opts.seed,
              batch,
              caseIndex: i,
              problem: o.problem,
              count: 1,
              cases: [cases[i]!],
            });
        });
        // A server that went down takes the rest of the batch with it: go straight to the check.
        if (!(await answersHealth(opts.httpUrl))) break;
      }
      stats.batches = batch + 1;
      const problems = await witnesses.check(opts.memory);
      log(
        `batch ${batch}: ${batchCases.length} cases, ${problems.length ? `BROKEN: ${problems.join('; ')}` : 'invariant holds'}`,
      );
      if (!problems.length) continue;
      const finding: Finding = {
        kind: 'batch',
        target: 'all',
        seed: opts.seed,
        batch,
        problem: problems.join('; '),
        count: 1,
        cases: batchCases,
      };
      // The runner may name the culprit (and restart the server) first, so that findings dedupe by cause.
      const goOn = opts.afterBrokenBatch ? await opts.afterBrokenBatch(finding) : false;
      record(finding);
      if (!goOn) break;
      // The server may have been restarted: new witnesses, same data directory or a fresh one.
      witnesses.destroy();
      env = await targetEnv(opts.httpUrl, opts.secret, opts.media);
      witnesses = await Witnesses.start(opts.httpUrl, env.mint, { media: opts.media });
    }
  } finally {
    witnesses.destroy();
  }
  return stats;
}

/** Prints a one-line-per-target summary and the findings, for logs and the long run's output. */
export function summarize(stats: FuzzStats): string {
  const lines = [`batches: ${stats.batches}`];
  for (const [target, frames] of Object.entries(stats.frames)) {
    const top = Object.entries(stats.results[target] ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([r, n]) => `${r}×${n}`)
      .join(', ');
    lines.push(`${target}: ${stats.cases[target]} cases, ${frames} frames (${top})`);
  }
  for (const f of stats.findings)
    lines.push(
      `FINDING [${f.kind} ${f.target} seed ${f.seed} batch ${f.batch}${f.caseIndex !== undefined ? ` case ${f.caseIndex}` : ''}] ×${f.count}: ${f.problem.slice(0, 300)}`,
    );
  return lines.join('\n');
}
