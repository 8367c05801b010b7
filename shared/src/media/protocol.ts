// The media signaling protocol (WebSocket `/media`, JSON text frames): client requests with ids, and the
// envelopes of server replies. docs/media-protocol.md is the prose version of this file.
import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';
import { idSchema } from '../ids.ts';
import { mediaSourceSchema, publishGrantSchema, publishPolicySchema } from './model.ts';
import { roomScopeSchema } from './rooms.ts';
import { dtlsParametersSchema, mediaKindSchema, rtpCapabilitiesSchema, rtpParametersSchema } from './rtp.ts';

/** Sent in `join`; bumped on any incompatible change to this protocol. */
export const MEDIA_PROTOCOL_VERSION = 1;

/** The client picks request ids; the reply to a request carries the same id. */
export const requestIdSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const empty = z.object({}).default({});
const transportRef = z.object({ transportId: idSchema });
const producerRef = z.object({ producerId: idSchema });
const consumerRef = z.object({ consumerId: idSchema });
const peerRef = z.object({ peerId: idSchema });

function request<M extends string, D extends z.ZodType>(method: M, data: D) {
  return z.object({ id: requestIdSchema, method: z.literal(method), data });
}

export const mediaRequestSchema = z.discriminatedUnion('method', [
  // Before join.
  request('getRouterRtpCapabilities', empty),
  request(
    'join',
    z.object({
      protocol: z.number().int(),
      /** The class-scoped JWT; never in the URL. */
      token: z.string().min(1).max(8192),
      /** Must equal the token's `cls` claim. */
      classId: idSchema,
      /** Which of the class's calls (rooms.ts): `main` (the default) or `pair:<key>`. */
      room: roomScopeSchema.optional(),
      rtpCapabilities: rtpCapabilitiesSchema,
    }),
  ),
  request('ping', empty),
  // Transports (at most one per direction).
  request('createTransport', z.object({ direction: z.enum(['send', 'recv']) })),
  request('connectTransport', transportRef.extend({ dtlsParameters: dtlsParametersSchema })),
  request('restartIce', transportRef),
  // Own producers.
  request(
    'produce',
    transportRef.extend({
      kind: mediaKindSchema,
      source: mediaSourceSchema,
      rtpParameters: rtpParametersSchema,
      paused: z.boolean().optional(),
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
    consumerRef.extend({
      spatialLayer: z.number().int().min(0).max(3),
      temporalLayer: z.number().int().min(0).max(3).optional(),
    }),
  ),
  // Staff only.
  request('setPublishPolicy', z.object({ policy: publishPolicySchema })),
  request('mutePeer', peerRef),
  request('muteAll', z.object({ includeStaff: z.boolean().optional() }).default({})),
  request('stopCamera', peerRef),
  request('stopScreenShare', peerRef),
  /** Lets one student speak or present beyond the room's policy (null takes it back). */
  request('setPublishGrant', peerRef.extend({ grant: publishGrantSchema.nullable() })),
  request('removePeer', peerRef),
  // Any time after join.
  /** Answers `tokenExpiring`: a token for the same user, class and role, with a later expiry. */
  request('refreshToken', z.object({ token: z.string().min(1).max(8192) })),
  request('leave', empty),
]);

export type MediaRequest = z.infer<typeof mediaRequestSchema>;
export type MediaMethod = MediaRequest['method'];
export type MediaRequestData<M extends MediaMethod> = Extract<MediaRequest, { method: M }>['data'];
/** What a client may send: `data` may be left out where every field is optional. */
export type MediaRequestInput = z.input<typeof mediaRequestSchema>;

export const MEDIA_METHODS = mediaRequestSchema.options.map(
  (o) => o.shape.method.value,
) as readonly MediaMethod[];

/** Methods a connection may call before `join`. */
export const PRE_JOIN_METHODS: readonly MediaMethod[] = ['getRouterRtpCapabilities', 'join', 'ping'];

/** The loose envelope read first, so that even a request with bad data gets a reply with its id. */
export const requestEnvelopeSchema = z.object({
  id: requestIdSchema,
  method: z.string().max(64),
  data: z.unknown().optional(),
});

export const replyErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
export type ReplyError = z.infer<typeof replyErrorSchema>;

export const mediaReplySchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: requestIdSchema, ok: z.literal(true), data: z.unknown() }),
  z.object({
    type: z.literal('reply'),
    /** null when the request was too broken to read its id. */
    id: requestIdSchema.nullable(),
    ok: z.literal(false),
    error: replyErrorSchema,
  }),
]);
export type MediaReply = z.infer<typeof mediaReplySchema>;

/** Explains the first problem zod found, as `path: message`, for error replies. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  const where = issue.path.length ? issue.path.join('.') : 'message';
  return `${where}: ${issue.message}`;
}
