// The history API's protocol: queries (zod) and replies of "who wrote this" (blame), a workspace's activity
// summary and workspace export, shared by the server's routes and the client's History panel.
import { z } from 'zod';

/**
 * The file of a code document to attribute, by its stable id (docSchema.ts); with `t` (epoch ms), the file as
 * it was then (docs/timeline.md).
 */
export const blameQuerySchema = z.object({
  file: z.string().min(1).max(100),
  t: z.coerce.number().int().min(0).optional(),
});
export type BlameQuery = z.infer<typeof blameQuerySchema>;

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

export const activityQuerySchema = z.object({
  /** Edits closer together than this belong to one editing session. */
  gapMinutes: z.coerce.number().int().min(1).max(240).default(10),
  /** Width of the edits-over-time buckets. */
  bucketMinutes: z.coerce.number().int().min(5).max(10_080).default(60),
  /** One update inserting at least this many characters is marked as a paste. */
  pasteChars: z.coerce.number().int().min(20).max(1_000_000).default(200),
});
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

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
