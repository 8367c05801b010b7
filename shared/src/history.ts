// The history API's protocol: queries (valibot) and replies of "who wrote this" (blame), a workspace's activity
// summary and workspace export, shared by the server's routes and the client's History panel.
import * as v from 'valibot';
import { queryNumber } from './validation.ts';

/**
 * The file of a code document to attribute, by its stable id (docSchema.ts); with `t` (epoch ms), the file as
 * it was then (docs/timeline.md).
 */
export const blameQuerySchema = v.object({
  file: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  t: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0))),
});
export type BlameQuery = v.InferOutput<typeof blameQuerySchema>;

export interface BlameLine {
  /** 1-based line number. */
  line: number;
  userId: string | null;
  /** When it was written (ms since the epoch, within a minute), or null when unknown. */
  ts: number | null;
}

export interface BlameReply {
  file: { id: string; name: string };
  lines: BlameLine[];
  /** Display names of the users named in `lines`, where the class roster knows them. */
  names: Record<string, string>;
}

export const activityQuerySchema = v.object({
  /** Edits closer together than this belong to one editing session. */
  gapMinutes: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(1), v.maxValue(240)), 10),
  /** Width of the edits-over-time buckets. */
  bucketMinutes: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(5), v.maxValue(10_080)), 60),
  /** One update inserting at least this many characters is marked as a paste. */
  pasteChars: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(20), v.maxValue(1_000_000)), 200),
});
export type ActivityQuery = v.InferOutput<typeof activityQuerySchema>;

export interface ActivityReply {
  document: string;
  editingMs: number;
  edits: number;
  inserted: number;
  firstEditAt: number | null;
  lastEditAt: number | null;
  sessions: { start: number; end: number; edits: number; inserted: number }[];
  buckets: { start: number; edits: number; inserted: number }[];
  pastes: { at: number; chars: number; userId: string | null }[];
}
