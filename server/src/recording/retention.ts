// RECORDING_RETENTION_DAYS: recordings that stopped longer ago than that are deleted (their running export
// stopped, files and row), checked at start and then hourly; 0 keeps them for ever. In a cluster only the node running the background jobs
// sweeps (the others skip their turn), so two nodes never delete one recording's files at once.
import type { Logger } from '../logger.ts';
import type { RecordingStorage } from '../storage/types/recordings.ts';
import type { ExportJobs } from './export/ExportJobs.ts';
import { deleteRecording } from './recordingRoutes.ts';

const DAY_MS = 86_400_000;
const SWEEP_INTERVAL_MS = 3_600_000;
const SWEEP_BATCH = 100;

export interface RetentionDeps {
  store: RecordingStorage;
  recordingsDir: string;
  retentionDays: number;
  /** A deleted recording's running export is stopped first. */
  exports: Pick<ExportJobs, 'forget'>;
  log: Logger;
  /** Whether this node sweeps now (in a cluster: it holds the jobs lease); always when absent. */
  runsHere?: () => boolean;
}

/** Deletes recordings that stopped before `now - retentionDays`; returns how many. */
export async function sweepRecordings(deps: RetentionDeps, now = Date.now()): Promise<number> {
  if (deps.retentionDays <= 0) return 0;
  const expired = await deps.store.stoppedBefore(now - deps.retentionDays * DAY_MS, SWEEP_BATCH);
  for (const manifest of expired)
    await deleteRecording(manifest, deps.recordingsDir, deps.store, deps.exports);
  if (expired.length > 0) deps.log.info({ deleted: expired.length }, 'recordings past retention deleted');
  return expired.length;
}

export function startRetention(deps: RetentionDeps): { stop(): void } {
  const sweep = () => {
    if (deps.runsHere && !deps.runsHere()) return;
    void sweepRecordings(deps).catch((error: unknown) =>
      deps.log.error({ err: error }, 'recording retention sweep failed'),
    );
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
