// `GET /api/media/status`: whether class media can be joined on this server right now, asked before join.
import { z } from 'zod';

export const MEDIA_STATUS_PATH = '/api/media/status';

export const mediaStatusSchema = z.object({
  available: z.boolean(),
  /** Why not, in words for participants (no paths, ports or operator hints). */
  reason: z.string().optional(),
});
export type MediaStatus = z.infer<typeof mediaStatusSchema>;
