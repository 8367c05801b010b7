// `GET /api/media/status`: whether class media can be joined on this server right now, asked before join.
import * as v from 'valibot';

export const MEDIA_STATUS_PATH = '/api/media/status';

export const mediaStatusSchema = v.object({
  available: v.boolean(),
  /** Why not, in words for participants (no paths, ports or operator hints). */
  reason: v.optional(v.string()),
});
export type MediaStatus = v.InferOutput<typeof mediaStatusSchema>;
