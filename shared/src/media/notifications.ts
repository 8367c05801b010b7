// Server-initiated messages on the media socket: `{ type: 'notification', event, data }`.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import {
  PEER_LEFT_REASONS,
  PRODUCER_CLOSED_REASONS,
  peerInfoSchema,
  producerInfoSchema,
  publishGrantSchema,
  publishPolicySchema,
} from './model.ts';

function notification<E extends string, D extends v.GenericSchema>(event: E, data: D) {
  return v.object({ type: v.literal('notification'), event: v.literal(event), data });
}

const producerEvent = v.object({ producerId: idSchema, peerId: idSchema });

export const mediaNotificationSchema = v.variant('event', [
  notification('peerJoined', v.object({ peer: peerInfoSchema })),
  notification('peerLeft', v.object({ peerId: idSchema, reason: v.picklist(PEER_LEFT_REASONS) })),
  notification('producerAdded', v.object({ producer: producerInfoSchema })),
  notification(
    'producerClosed',
    v.object({ ...producerEvent.entries, reason: v.picklist(PRODUCER_CLOSED_REASONS) }),
  ),
  notification('producerPaused', v.object({ ...producerEvent.entries, byStaff: v.boolean() })),
  notification('producerResumed', producerEvent),
  /** A consumer of yours closed because its producer went away. */
  notification('consumerClosed', v.object({ consumerId: idSchema, producerId: idSchema })),
  /** The loudest speaker changed (null: nobody is speaking). */
  notification('activeSpeaker', v.object({ peerId: v.nullable(idSchema), producerId: v.nullable(idSchema) })),
  /** Mic levels in dBov (-127 silent .. 0 loudest), loudest first; an empty list means silence. */
  notification(
    'audioLevels',
    v.object({ levels: v.array(v.object({ peerId: idSchema, producerId: idSchema, volume: v.number() })) }),
  ),
  /** To the muted peer: staff paused these producers of yours; resume them to unmute. */
  notification(
    'mutedByStaff',
    v.object({ producerIds: v.array(idSchema), byPeerId: v.nullable(idSchema), byName: v.string() }),
  ),
  /** To the peer concerned: staff closed your camera or screen share (turn it on again if the rules allow). */
  notification(
    'stoppedByStaff',
    v.object({
      source: v.picklist(['camera', 'screen']),
      producerIds: v.array(idSchema),
      byPeerId: v.nullable(idSchema),
      byName: v.string(),
    }),
  ),
  notification(
    'publishPolicyChanged',
    v.object({ policy: publishPolicySchema, byPeerId: v.nullable(idSchema), byName: v.string() }),
  ),
  /** Staff let a student speak or present beyond the policy (null: back to the policy); to the whole room. */
  notification(
    'publishGrantChanged',
    v.object({
      peerId: idSchema,
      userId: idSchema,
      grant: v.nullable(publishGrantSchema),
      byPeerId: v.nullable(idSchema),
      byName: v.string(),
    }),
  ),
  /**
   * To the peer concerned, just before its socket closes: staff removed you from the call (`call`: you may join
   * again) or from the class for the rest of its session (`class`: every endpoint refuses you until staff let
   * you back in).
   */
  notification(
    'removed',
    v.object({ scope: v.picklist(['call', 'class']), byName: v.string(), reason: v.string() }),
  ),
  /**
   * Your token expires at `expiresAtMs` (ms since the epoch), about 30 s from now: send `refreshToken` with a
   * fresh one, or the socket closes with 4401 "token expired" then.
   */
  notification('tokenExpiring', v.object({ expiresAtMs: v.pipe(v.number(), v.safeInteger(), v.gtValue(0)) })),
  /** The media server lost this class (its worker restarted): reconnect and join again. Then the socket closes. */
  notification('reconnect', v.object({ reason: v.string() })),
  /** Staff or the class ended media for everyone. Then the socket closes. */
  notification('classClosed', v.object({ reason: v.string() })),
]);

export type MediaNotification = v.InferOutput<typeof mediaNotificationSchema>;
export type MediaEventName = MediaNotification['event'];
export type MediaNotificationData<E extends MediaEventName> = Extract<
  MediaNotification,
  { event: E }
>['data'];
