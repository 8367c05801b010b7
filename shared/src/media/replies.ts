// What each request's successful reply carries in `data`, per method. Clients may validate replies with
// these; the server's handlers are typed against them.
import { z } from 'zod';
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

const nothing = z.object({});

export const mediaReplyDataSchemas = {
  getRouterRtpCapabilities: z.object({ rtpCapabilities: rtpCapabilitiesSchema }),
  join: z.object({
    you: peerInfoSchema,
    /** The room joined (rooms.ts): `main` or `pair:<key>`. */
    room: z.string(),
    /** Student publishing in this class right now. */
    policy: publishPolicySchema,
    maxPeers: z.number().int().positive(),
    /** Everyone else already here, and what they publish: consume these. */
    peers: z.array(peerInfoSchema),
    producers: z.array(producerInfoSchema),
    /** The server pings at this interval and drops a connection that misses two pongs. */
    heartbeatIntervalMs: z.number().int().positive(),
  }),
  ping: z.object({ serverTimeMs: z.number() }),
  createTransport: z.object({
    transportId: idSchema,
    direction: z.enum(['send', 'recv']),
    iceParameters: iceParametersSchema,
    iceCandidates: z.array(iceCandidateSchema),
    dtlsParameters: dtlsParametersSchema,
  }),
  connectTransport: nothing,
  restartIce: z.object({ iceParameters: iceParametersSchema }),
  produce: z.object({ producerId: idSchema }),
  pauseProducer: nothing,
  resumeProducer: nothing,
  closeProducer: nothing,
  consume: z.object({
    consumerId: idSchema,
    producerId: idSchema,
    peerId: idSchema,
    kind: mediaKindSchema,
    source: mediaSourceSchema,
    rtpParameters: rtpParametersSchema,
    type: z.enum(['simple', 'simulcast', 'svc', 'pipe']),
    /** The consumer itself is always created paused: send `resumeConsumer` once ready. */
    producerPaused: z.boolean(),
  }),
  resumeConsumer: nothing,
  pauseConsumer: nothing,
  setPreferredLayers: nothing,
  setPublishPolicy: z.object({ policy: publishPolicySchema, producersClosed: z.number().int() }),
  mutePeer: z.object({ producersPaused: z.number().int() }),
  muteAll: z.object({ producersPaused: z.number().int() }),
  stopCamera: z.object({ producersClosed: z.number().int() }),
  stopScreenShare: z.object({ producersClosed: z.number().int() }),
  setPublishGrant: z.object({ grant: publishGrantSchema.nullable(), producersClosed: z.number().int() }),
  removePeer: nothing,
  /** The session now ends at the new token's expiry (ms since the epoch). */
  refreshToken: z.object({ expiresAtMs: z.number().int().positive() }),
  leave: nothing,
} as const satisfies Record<MediaMethod, z.ZodType>;

export type MediaReplyData<M extends MediaMethod> = z.infer<(typeof mediaReplyDataSchemas)[M]>;
