// Rounds of a scenario over several servers, each round in a rotated order so that slow drifts of the machine
// fall on every server instead of one, and the median the results are reported by.
import type { ServerKind } from './options.ts';

export function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Runs `run` for every server in every round (round r starts at server r), one at a time; all results. */
export async function interleavedRounds<R>(
  servers: ServerKind[],
  rounds: number,
  run: (server: ServerKind, round: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < servers.length; k++) {
      results.push(await run(servers[(k + round) % servers.length]!, round));
    }
  }
  return results;
}
