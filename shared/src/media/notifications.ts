// Server-initiated messages on the media socket: `{ type: 'notification', event, data }`.
import { z } from 'zod';
import { idSchema } from '../ids.ts';
import {
  PEER_LEFT_REASONS,
  PRODUCER_CLOSED_REASONS,
  peerInfoSchema,
  producerInfoSchema,
  publishGrantSchema,
  publishPolicySchema,
} from './model.ts';

function notification<E extends string, D extends z.ZodType>(event: E, data: D) {
  return z.object({ type: z.literal('notification'), event: z.literal(event), data });
}

const producerEvent = z.object({ producerId: idSchema, peerId: idSchema });

export const mediaNotificationSchema = z.discriminatedUnion('event', [
  notification('peerJoined', z.object({ peer: peerInfoSchema })),
  notification('peerLeft', z.object({ peerId: idSchema, reason: z.enum(PEER_LEFT_REASONS) })),
  notification('producerAdded', z.object({ producer: producerInfoSchema })),
  notification('producerClosed', producerEvent.extend({ reason: z.enum(PRODUCER_CLOSED_REASONS) })),
  notification('producerPaused', producerEvent.extend({ byStaff: z.boolean() })),
  notification('producerResumed', producerEvent),
  /** A consumer of yours closed because its producer went away. */
  notification('consumerClosed', z.object({ consumerId: idSchema, producerId: idSchema })),
  /** The loudest speaker changed (null: nobody is speaking). */
  notification('activeSpeaker', z.object({ peerId: idSchema.nullable(), producerId: idSchema.nullable() })),
  /** Mic levels in dBov (-127 silent .. 0 loudest), loudest first; an empty list means silence. */
  notification(
    'audioLevels',
    z.object({ levels: z.array(z.object({ peerId: idSchema, producerId: idSchema, volume: z.number() })) }),
  ),
  /** To the muted peer: staff paused these producers of yours; resume them to unmute. */
  notification(
    'mutedByStaff',
    z.object({ producerIds: z.array(idSchema), byPeerId: idSchema.nullable(), byName: z.string() }),
  ),
  /** To the peer concerned: staff closed your camera or screen share (turn it on again if the rules allow). */
  notification(
    'stoppedByStaff',
    z.object({
      source: z.enum(['camera', 'screen']),
      producerIds: z.array(idSchema),
      byPeerId: idSchema.nullable(),
      byName: z.string(),
    }),
  ),
  notification(
    'publishPolicyChanged',
    z.object({ policy: publishPolicySchema, byPeerId: idSchema.nullable(), byName: z.string() }),
  ),
  /** Staff let a student speak or present beyond the policy (null: back to the policy); to the whole room. */
  notification(
    'publishGrantChanged',
    z.object({
      peerId: idSchema,
      userId: idSchema,
      grant: publishGrantSchema.nullable(),
      byPeerId: idSchema.nullable(),
      byName: z.string(),
    }),
  ),
  /**
   * To the peer concerned, just before its socket closes: staff removed you from the call (`call`: you may join
   * again) or from the class for the rest of its session (`class`: every endpoint refuses you until staff let
   * you back in).
   */
  notification(
    'removed',
    z.object({ scope: z.enum(['call', 'class']), byName: z.string(), reason: z.string() }),
  ),
  /**
   * Your token expires at `expiresAtMs` (ms since the epoch), about 30 s from now: send `refreshToken` with a
   * fresh one, or the socket closes with 4401 "token expired" then.
   */
  notification('tokenExpiring', z.object({ expiresAtMs: z.number().int().positive() })),
  /** The media server lost this class (its worker restarted): reconnect and join again. Then the socket closes. */
  notification('reconnect', z.object({ reason: z.string() })),
  /** Staff or the class ended media for everyone. Then the socket closes. */
  notification('classClosed', z.object({ reason: z.string() })),
]);

export type MediaNotification = z.infer<typeof mediaNotificationSchema>;
export type MediaEventName = MediaNotification['event'];
export type MediaNotificationData<E extends MediaEventName> = Extract<
  MediaNotification,
  { event: E }
>['data'];
