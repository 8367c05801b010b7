// When recordings left `recording` by a dead server are recovered (RecordingService.recoverLeftovers): a
// single node does it once at start, before it serves anything. In a cluster only the node holding the jobs
// lease does it (two nodes repairing one file at once would corrupt it), at start if it holds the lease, when
// it takes the lease, and then every lease TTL (a node that dies leaves its recordings to the others), always
// skipping recordings of classes a live node serves: those are in progress there.
import type { BackgroundJobs } from '../backgroundJobs.ts';
import type { Logger } from '../logger.ts';
import type { RecordingService } from './RecordingService.ts';

export async function startLeftoverRecovery(
  service: Pick<RecordingService, 'recoverLeftovers'>,
  jobs: BackgroundJobs,
  log: Logger,
): Promise<{ stop(): void }> {
  let running: Promise<unknown> | undefined;
  const recover = (): Promise<unknown> => {
    if (!jobs.runHere()) return Promise.resolve();
    running ??= service
      .recoverLeftovers((manifest) => jobs.classIsLive(manifest.classId))
      .catch((error: unknown) => log.error({ err: error }, 'recovering recordings left by a crash failed'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  await recover();
  if (!jobs.clustered) return { stop: () => {} };
  let stopped = false;
  jobs.onRunHere(() => {
    if (!stopped) void recover();
  });
  const timer = setInterval(() => void recover(), jobs.periodMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
