// What each request's successful reply carries in `data`, per method. Clients may validate replies with
// these; the server's handlers are typed against them.
import * as v from 'valibot';
import { idSchema } from '../ids.ts';
import {
  mediaSourceSchema,
  peerInfoSchema,
  producerInfoSchema,
  publishGrantSchema,
  publishPolicySchema,
} from './model.ts';
import type { MediaMethod } from './protocol.ts';
import {
  dtlsParametersSchema,
  iceCandidateSchema,
  iceParametersSchema,
  mediaKindSchema,
  rtpCapabilitiesSchema,
  rtpParametersSchema,
} from './rtp.ts';

const nothing = v.object({});
const count = v.pipe(v.number(), v.safeInteger());
const positiveInt = v.pipe(v.number(), v.safeInteger(), v.gtValue(0));

export const mediaReplyDataSchemas = {
  getRouterRtpCapabilities: v.object({ rtpCapabilities: rtpCapabilitiesSchema }),
  join: v.object({
    you: peerInfoSchema,
    /** The room joined (rooms.ts): `main` or `pair:<key>`. */
    room: v.string(),
    /** Student publishing in this class right now. */
    policy: publishPolicySchema,
    maxPeers: positiveInt,
    /** Everyone else already here, and what they publish: consume these. */
    peers: v.array(peerInfoSchema),
    producers: v.array(producerInfoSchema),
    /** The server pings at this interval and drops a connection that misses two pongs. */
    heartbeatIntervalMs: positiveInt,
  }),
  ping: v.object({ serverTimeMs: v.number() }),
  createTransport: v.object({
    transportId: idSchema,
    direction: v.picklist(['send', 'recv']),
    iceParameters: iceParametersSchema,
    iceCandidates: v.array(iceCandidateSchema),
    dtlsParameters: dtlsParametersSchema,
  }),
  connectTransport: nothing,
  restartIce: v.object({ iceParameters: iceParametersSchema }),
  produce: v.object({ producerId: idSchema }),
  pauseProducer: nothing,
  resumeProducer: nothing,
  closeProducer: nothing,
  consume: v.object({
    consumerId: idSchema,
    producerId: idSchema,
    peerId: idSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
    type: v.picklist(['simple', 'simulcast', 'svc', 'pipe']),
    /** The consumer itself is always created paused: send `resumeConsumer` once ready. */
    producerPaused: v.boolean(),
  }),
  resumeConsumer: nothing,
  pauseConsumer: nothing,
  setPreferredLayers: nothing,
  setPublishPolicy: v.object({ policy: publishPolicySchema, producersClosed: count }),
  mutePeer: v.object({ producersPaused: count }),
  muteAll: v.object({ producersPaused: count }),
  stopCamera: v.object({ producersClosed: count }),
  stopScreenShare: v.object({ producersClosed: count }),
  setPublishGrant: v.object({ grant: v.nullable(publishGrantSchema), producersClosed: count }),
  removePeer: nothing,
  /** The session now ends at the new token's expiry (ms since the epoch). */
  refreshToken: v.object({ expiresAtMs: positiveInt }),
  leave: nothing,
} as const satisfies Record<MediaMethod, v.GenericSchema>;

export type MediaReplyData<M extends MediaMethod> = v.InferOutput<(typeof mediaReplyDataSchemas)[M]>;
