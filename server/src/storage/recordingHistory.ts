// A recorded class keeps its keystroke history as long as its recordings: when the update log is pruned past
// HISTORY_RETENTION_DAYS, the cutoff moves back to the start of the class's oldest recording still kept (the
// `recordings` table, migration 11), so a replay never has media without its code. Deleting a recording (or
// RECORDING_RETENTION_DAYS doing it) lets the next prune of the class's documents catch up.
import { parseDocumentName } from '@tandem/shared';

/** The class a document belongs to ('' for a name that does not parse: no recording matches it). */
export function classOfDocument(name: string): string {
  const parsed = parseDocumentName(name);
  return parsed.ok ? parsed.value.classId : '';
}

/** SQLite: the cutoff (`:cutoff`), moved back to the oldest kept recording of class `:cls`. */
export const KEEP_FOR_RECORDINGS_SQLITE = `MIN(:cutoff, COALESCE(
  (SELECT MIN(started_at) FROM recordings WHERE class_id = :cls AND started_at IS NOT NULL), :cutoff))`;

/** PostgreSQL: the same with the cutoff as $3 and the class as $4. */
export const KEEP_FOR_RECORDINGS_PG = `LEAST($3::bigint, COALESCE(
  (SELECT MIN(started_at) FROM recordings WHERE class_id = $4 AND started_at IS NOT NULL), $3::bigint))`;
