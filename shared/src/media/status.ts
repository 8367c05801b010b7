// `GET /api/media/status`: whether class media can be joined on this server right now, asked before join.
import * as v from 'valibot';

export const MEDIA_STATUS_PATH = '/api/media/status';

/**
 * Why media is unavailable: `disabled` by the server's configuration (nothing to wait for), or a media server
 * that `failed` to start, is `restarting`, or has `stopped`.
 */
export const MEDIA_UNAVAILABLE_KINDS = ['disabled', 'failed', 'restarting', 'stopped'] as const;
export type MediaUnavailableKind = (typeof MEDIA_UNAVAILABLE_KINDS)[number];

export const mediaStatusSchema = v.object({
  available: v.boolean(),
  /** Why not, in words for participants (no paths, ports or operator hints). */
  reason: v.optional(v.string()),
  kind: v.optional(v.picklist(MEDIA_UNAVAILABLE_KINDS)),
});
export type MediaStatus = v.InferOutput<typeof mediaStatusSchema>;
