// The media objects both sides talk about: peers (one per connection) and their producers.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import { ROLES } from '../roles.ts';
import { mediaKindSchema } from './rtp.ts';
import { MEDIA_SOURCES, PUBLISH_GRANTS, PUBLISH_POLICIES } from './rules.ts';

export const mediaSourceSchema = v.picklist(MEDIA_SOURCES);
export const publishPolicySchema = v.picklist(PUBLISH_POLICIES);
export const publishGrantSchema = v.picklist(PUBLISH_GRANTS);

/** A peer is one signaling connection of one user in one class; a user has at most one peer per class. */
export const peerInfoSchema = v.object({
  peerId: idSchema,
  userId: idSchema,
  name: v.string(),
  role: v.picklist(ROLES),
  /** What staff let this student publish beyond the room's policy (rules.ts); null: the policy alone. */
  grant: v.nullable(publishGrantSchema),
});
export type PeerInfo = v.InferOutput<typeof peerInfoSchema>;

export const producerInfoSchema = v.object({
  producerId: idSchema,
  peerId: idSchema,
  kind: mediaKindSchema,
  source: mediaSourceSchema,
  paused: v.boolean(),
  /** True while the producer is paused because staff muted it (until its owner resumes it). */
  mutedByStaff: v.boolean(),
});
export type ProducerInfo = v.InferOutput<typeof producerInfoSchema>;

/** Why a peer left: told to the others in `peerLeft`. */
export const PEER_LEFT_REASONS = [
  'left',
  'disconnected',
  'timeout',
  'removed',
  'replaced',
  'class-closed',
] as const;
export type PeerLeftReason = (typeof PEER_LEFT_REASONS)[number];

/** Why a producer closed: told to everyone in `producerClosed`. */
export const PRODUCER_CLOSED_REASONS = ['closed', 'peer-left', 'stopped-by-staff', 'policy'] as const;
export type ProducerClosedReason = (typeof PRODUCER_CLOSED_REASONS)[number];
