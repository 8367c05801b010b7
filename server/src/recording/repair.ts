// Repairs a file a recorder left unfinished (killed, crashed): ffmpeg remuxes it as it is (-c copy) into a new
// file with its index and duration, which then replaces the original. A file ffmpeg cannot read is kept as is.
import fs from 'node:fs/promises';
import type { Logger } from '../logger.ts';
import { runFfmpeg } from './FfmpegProcess.ts';
import { type Container, remuxArgs } from './ffmpegCommand.ts';

/** True when the file was rewritten; false when there was nothing to repair or the remux failed. */
export async function repairFile(ffmpegPath: string, file: string, container: Container, log: Logger) {
  const size = await fs.stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return false;
  const temp = `${file}.repair.${container}`;
  try {
    await runFfmpeg(ffmpegPath, remuxArgs(file, temp, container), { nice: 10 });
    await fs.rename(temp, file);
    log.info({ file }, 'recording: repaired a file its recorder left unfinished');
    return true;
  } catch (error) {
    await fs.rm(temp, { force: true });
    log.warn({ err: error, file }, 'recording: could not repair a file; kept as it is');
    return false;
  }
}
