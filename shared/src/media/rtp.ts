// valibot schemas for the mediasoup RTP, ICE and DTLS objects that travel over media signaling. Shapes follow
// mediasoup's own types (mediasoup-client produces and consumes them as-is); sizes are bounded so a
// client cannot make the server parse megabytes of capabilities.
import * as v from 'valibot';

const MAX_CODECS = 64;
const MAX_HEADER_EXTENSIONS = 32;
const MAX_ENCODINGS = 4;

const shortString = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const payloadType = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(127));
const ssrc = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(0xffffffff));
const codecParameters = v.pipe(
  v.record(v.pipe(v.string(), v.maxLength(64)), v.union([v.pipe(v.string(), v.maxLength(256)), v.number()])),
  v.check((r) => Object.keys(r).length <= 32, 'at most 32 codec parameters'),
);
const positiveInt = v.pipe(v.number(), v.safeInteger(), v.gtValue(0));

export const MEDIA_KINDS = ['audio', 'video'] as const;
export const mediaKindSchema = v.picklist(MEDIA_KINDS);
export type MediaKind = v.InferOutput<typeof mediaKindSchema>;

export const rtcpFeedbackSchema = v.object({
  type: shortString,
  parameter: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

export const rtpCodecCapabilitySchema = v.object({
  kind: mediaKindSchema,
  mimeType: shortString,
  preferredPayloadType: v.optional(payloadType),
  clockRate: positiveInt,
  channels: v.optional(v.pipe(v.number(), v.safeInteger(), v.gtValue(0), v.maxValue(8))),
  parameters: v.optional(codecParameters),
  rtcpFeedback: v.optional(v.pipe(v.array(rtcpFeedbackSchema), v.maxLength(16))),
});

export const rtpHeaderExtensionSchema = v.object({
  kind: mediaKindSchema,
  uri: shortString,
  preferredId: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(255)),
  preferredEncrypt: v.optional(v.boolean()),
  direction: v.optional(v.picklist(['sendrecv', 'sendonly', 'recvonly', 'inactive'])),
});

export const rtpCapabilitiesSchema = v.object({
  codecs: v.optional(v.pipe(v.array(rtpCodecCapabilitySchema), v.maxLength(MAX_CODECS))),
  headerExtensions: v.optional(v.pipe(v.array(rtpHeaderExtensionSchema), v.maxLength(MAX_HEADER_EXTENSIONS))),
});
export type RtpCapabilities = v.InferOutput<typeof rtpCapabilitiesSchema>;

export const rtpCodecParametersSchema = v.object({
  mimeType: shortString,
  payloadType,
  clockRate: positiveInt,
  channels: v.optional(v.pipe(v.number(), v.safeInteger(), v.gtValue(0), v.maxValue(8))),
  parameters: v.optional(codecParameters),
  rtcpFeedback: v.optional(v.pipe(v.array(rtcpFeedbackSchema), v.maxLength(16))),
});

const PRIORITIES = ['very-low', 'low', 'medium', 'high'] as const;

export const rtpEncodingSchema = v.object({
  ssrc: v.optional(ssrc),
  rid: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(32))),
  codecPayloadType: v.optional(payloadType),
  rtx: v.optional(v.object({ ssrc })),
  dtx: v.optional(v.boolean()),
  scalabilityMode: v.optional(v.pipe(v.string(), v.maxLength(16))),
  scaleResolutionDownBy: v.optional(v.pipe(v.number(), v.minValue(1))),
  maxBitrate: v.optional(positiveInt),
  maxFramerate: v.optional(v.pipe(v.number(), v.gtValue(0))),
  adaptivePtime: v.optional(v.boolean()),
  priority: v.optional(v.picklist(PRIORITIES)),
  networkPriority: v.optional(v.picklist(PRIORITIES)),
  active: v.optional(v.boolean()),
});

export const rtpParametersSchema = v.object({
  mid: v.optional(v.pipe(v.string(), v.maxLength(32))),
  codecs: v.pipe(v.array(rtpCodecParametersSchema), v.minLength(1), v.maxLength(MAX_CODECS)),
  headerExtensions: v.optional(
    v.pipe(
      v.array(
        v.object({
          uri: shortString,
          id: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(255)),
          encrypt: v.optional(v.boolean()),
          parameters: v.optional(codecParameters),
        }),
      ),
      v.maxLength(MAX_HEADER_EXTENSIONS),
    ),
  ),
  encodings: v.optional(v.pipe(v.array(rtpEncodingSchema), v.maxLength(MAX_ENCODINGS))),
  rtcp: v.optional(
    v.object({
      cname: v.optional(v.pipe(v.string(), v.maxLength(256))),
      reducedSize: v.optional(v.boolean()),
      mux: v.optional(v.boolean()),
    }),
  ),
  msid: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
export type RtpParameters = v.InferOutput<typeof rtpParametersSchema>;

export const dtlsParametersSchema = v.object({
  role: v.optional(v.picklist(['auto', 'client', 'server'])),
  fingerprints: v.pipe(
    v.array(
      v.object({
        algorithm: v.picklist(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: shortString,
      }),
    ),
    v.minLength(1),
    v.maxLength(8),
  ),
});
export type DtlsParameters = v.InferOutput<typeof dtlsParametersSchema>;

export const iceParametersSchema = v.object({
  usernameFragment: v.string(),
  password: v.string(),
  iceLite: v.optional(v.boolean()),
});
export type IceParameters = v.InferOutput<typeof iceParametersSchema>;

export const iceCandidateSchema = v.object({
  foundation: v.string(),
  priority: v.number(),
  address: v.string(),
  protocol: v.picklist(['udp', 'tcp']),
  port: v.pipe(v.number(), v.safeInteger()),
  type: v.picklist(['host', 'srflx', 'prflx', 'relay']),
  tcpType: v.optional(v.picklist(['active', 'passive', 'so'])),
});
export type IceCandidate = v.InferOutput<typeof iceCandidateSchema>;
