// The media signaling protocol (WebSocket `/media`, JSON text frames): client requests with ids, and the
// envelopes of server replies. docs/media-protocol.md is the prose version of this file.
import * as v from 'valibot';
import { ERROR_CODES } from '../errors.ts';
import { idSchema } from '../ids.ts';
import { describeIssues, notArray } from '../validation.ts';
import { mediaSourceSchema, publishGrantSchema, publishPolicySchema } from './model.ts';
import { roomScopeSchema } from './rooms.ts';
import { dtlsParametersSchema, mediaKindSchema, rtpCapabilitiesSchema, rtpParametersSchema } from './rtp.ts';

/** Sent in `join`; bumped on any incompatible change to this protocol. */
export const MEDIA_PROTOCOL_VERSION = 1;

/** The client picks request ids; the reply to a request carries the same id. */
export const requestIdSchema = v.pipe(
  v.number(),
  v.safeInteger(),
  v.minValue(0),
  v.maxValue(Number.MAX_SAFE_INTEGER),
);

const empty = v.optional(v.pipe(v.unknown(), notArray, v.object({})), {});
const transportRef = v.object({ transportId: idSchema });
const producerRef = v.object({ producerId: idSchema });
const consumerRef = v.object({ consumerId: idSchema });
const peerRef = v.object({ peerId: idSchema });
const token = v.pipe(v.string(), v.minLength(1), v.maxLength(8192));
const layer = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(3));

function request<M extends string, D extends v.GenericSchema>(method: M, data: D) {
  return v.object({ id: requestIdSchema, method: v.literal(method), data });
}

export const mediaRequestSchema = v.variant('method', [
  // Before join.
  request('getRouterRtpCapabilities', empty),
  request(
    'join',
    v.object({
      protocol: v.pipe(v.number(), v.safeInteger()),
      /** The class-scoped JWT; never in the URL. */
      token,
      /** Must equal the token's `cls` claim. */
      classId: idSchema,
      /** Which of the class's calls (rooms.ts): `main` (the default) or `pair:<key>`. */
      room: v.optional(roomScopeSchema),
      rtpCapabilities: rtpCapabilitiesSchema,
    }),
  ),
  request('ping', empty),
  // Transports (at most one per direction).
  request('createTransport', v.object({ direction: v.picklist(['send', 'recv']) })),
  request('connectTransport', v.object({ ...transportRef.entries, dtlsParameters: dtlsParametersSchema })),
  request('restartIce', transportRef),
  // Own producers.
  request(
    'produce',
    v.object({
      ...transportRef.entries,
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      paused: v.optional(v.boolean()),
    }),
  ),
  request('pauseProducer', producerRef),
  request('resumeProducer', producerRef),
  request('closeProducer', producerRef),
  // Consumers of others' producers.
  request('consume', producerRef),
  request('resumeConsumer', consumerRef),
  request('pauseConsumer', consumerRef),
  request(
    'setPreferredLayers',
    v.object({
      ...consumerRef.entries,
      spatialLayer: layer,
      temporalLayer: v.optional(layer),
    }),
  ),
  // Staff only.
  request('setPublishPolicy', v.object({ policy: publishPolicySchema })),
  request('mutePeer', peerRef),
  request(
    'muteAll',
    v.optional(v.pipe(v.unknown(), notArray, v.object({ includeStaff: v.optional(v.boolean()) })), {}),
  ),
  request('stopCamera', peerRef),
  request('stopScreenShare', peerRef),
  /** Lets one student speak or present beyond the room's policy (null takes it back). */
  request('setPublishGrant', v.object({ ...peerRef.entries, grant: v.nullable(publishGrantSchema) })),
  request('removePeer', peerRef),
  // Any time after join.
  /** Answers `tokenExpiring`: a token for the same user, class and role, with a later expiry. */
  request('refreshToken', v.object({ token })),
  request('leave', empty),
]);

export type MediaRequest = v.InferOutput<typeof mediaRequestSchema>;
export type MediaMethod = MediaRequest['method'];
export type MediaRequestData<M extends MediaMethod> = Extract<MediaRequest, { method: M }>['data'];
/** What a client may send: `data` may be left out where every field is optional. */
export type MediaRequestInput = v.InferInput<typeof mediaRequestSchema>;

export const MEDIA_METHODS = mediaRequestSchema.options.map(
  (o) => o.entries.method.literal,
) as readonly MediaMethod[];

/** Methods a connection may call before `join`. */
export const PRE_JOIN_METHODS: readonly MediaMethod[] = ['getRouterRtpCapabilities', 'join', 'ping'];

/** The loose envelope read first, so that even a request with bad data gets a reply with its id. */
export const requestEnvelopeSchema = v.object({
  id: requestIdSchema,
  method: v.pipe(v.string(), v.maxLength(64)),
  data: v.optional(v.unknown()),
});

export const replyErrorSchema = v.object({ code: v.picklist(ERROR_CODES), message: v.string() });
export type ReplyError = v.InferOutput<typeof replyErrorSchema>;

export const mediaReplySchema = v.variant('ok', [
  /** `data` may be missing: a reply whose data was undefined has no such key once in JSON. */
  v.object({
    type: v.literal('reply'),
    id: requestIdSchema,
    ok: v.literal(true),
    data: v.optional(v.unknown()),
  }),
  v.object({
    type: v.literal('reply'),
    /** null when the request was too broken to read its id. */
    id: v.nullable(requestIdSchema),
    ok: v.literal(false),
    error: replyErrorSchema,
  }),
]);
export type MediaReply = v.InferOutput<typeof mediaReplySchema>;

/** Explains the first problem a failed parse found, as `path: message`, for error replies. */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  if (!issues.length) return 'invalid message';
  return describeIssues(issues, 'message');
}
