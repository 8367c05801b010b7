// Who is the active speaker when, for the export's camera: from each person's microphone loudness per second,
// the loudest voice above a speech threshold, with hysteresis so a cough or a short "yes" does not flip the
// camera. A new speaker takes over after speaking for MIN_TURN_MS (short pauses inside count as theirs), and the
// switch is dated back to when they started, since the export is made after the fact. Pure; the levels come
// from speechLevels.ts.

/** One reading of a microphone: its RMS level in dBFS over the second starting at `atMs` (recording offset). */
export interface LevelSample {
  atMs: number;
  db: number;
}

/** A stretch of the recording whose camera is `userId`'s. */
export interface SpeakerTurn {
  userId: string;
  startMs: number;
  endMs: number;
}

export const LEVEL_STEP_MS = 1000;
/** Quieter than this is silence or room noise (a voice at a normal distance is around -35 to -20 dBFS). */
export const SPEECH_DB = -50;
/** How long a new voice must speak before the camera follows it. */
export const MIN_TURN_MS = 3000;
/** Longest pause inside a turn that still counts as the same turn. */
export const MAX_PAUSE_MS = 2000;

export function speakerTurns(
  levels: ReadonlyMap<string, readonly LevelSample[]>,
  durationMs: number,
  minTurnMs = MIN_TURN_MS,
): SpeakerTurn[] {
  const loudest = loudestPerStep(levels, durationMs);
  const minSteps = Math.max(1, Math.ceil(minTurnMs / LEVEL_STEP_MS));
  const maxPauseSteps = Math.floor(MAX_PAUSE_MS / LEVEL_STEP_MS);
  const turns: SpeakerTurn[] = [];
  let current: string | null = null;
  for (let k = 0; k < loudest.length; ) {
    const who = loudest[k];
    if (who === null || who === undefined || who === current) {
      k++;
      continue;
    }
    // How long `who` keeps the floor from step k: their steps, with pauses of at most maxPauseSteps.
    let spoken = 0;
    let pause = 0;
    let end = k;
    for (let j = k; j < loudest.length && spoken < minSteps; j++) {
      if (loudest[j] === who) {
        spoken++;
        pause = 0;
        end = j + 1;
      } else if (loudest[j] === null && pause < maxPauseSteps) {
        pause++;
      } else {
        break;
      }
    }
    if (current !== null && spoken < minSteps) {
      k++;
      continue;
    }
    const startMs = current === null ? 0 : k * LEVEL_STEP_MS;
    const previous = turns.at(-1);
    if (previous) previous.endMs = startMs;
    turns.push({ userId: who, startMs, endMs: durationMs });
    current = who;
    k = end;
  }
  return turns;
}

/** For each step of the recording, the loudest person above SPEECH_DB, or null for silence. */
function loudestPerStep(
  levels: ReadonlyMap<string, readonly LevelSample[]>,
  durationMs: number,
): (string | null)[] {
  const steps = Math.max(0, Math.ceil(durationMs / LEVEL_STEP_MS));
  const best: { who: string | null; db: number }[] = Array.from({ length: steps }, () => ({
    who: null,
    db: SPEECH_DB,
  }));
  for (const [userId, samples] of levels) {
    for (const { atMs, db } of samples) {
      const step = best[Math.floor(atMs / LEVEL_STEP_MS)];
      if (step && db >= step.db && (step.who === null || db > step.db))
        Object.assign(step, { who: userId, db });
    }
  }
  return best.map((s) => s.who);
}
