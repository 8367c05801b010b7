// zod schemas for the mediasoup RTP, ICE and DTLS objects that travel over media signaling. Shapes follow
// mediasoup's own types (mediasoup-client produces and consumes them as-is); sizes are bounded so a
// client cannot make the server parse megabytes of capabilities.
import { z } from 'zod';

const MAX_CODECS = 64;
const MAX_HEADER_EXTENSIONS = 32;
const MAX_ENCODINGS = 4;

const shortString = z.string().min(1).max(256);
const payloadType = z.number().int().min(0).max(127);
const ssrc = z.number().int().min(0).max(0xffffffff);
const codecParameters = z
  .record(z.string().max(64), z.union([z.string().max(256), z.number()]))
  .refine((r) => Object.keys(r).length <= 32, 'at most 32 codec parameters');

export const MEDIA_KINDS = ['audio', 'video'] as const;
export const mediaKindSchema = z.enum(MEDIA_KINDS);
export type MediaKind = z.infer<typeof mediaKindSchema>;

export const rtcpFeedbackSchema = z.object({ type: shortString, parameter: z.string().max(64).optional() });

export const rtpCodecCapabilitySchema = z.object({
  kind: mediaKindSchema,
  mimeType: shortString,
  preferredPayloadType: payloadType.optional(),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).max(16).optional(),
});

export const rtpHeaderExtensionSchema = z.object({
  kind: mediaKindSchema,
  uri: shortString,
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']).optional(),
});

export const rtpCapabilitiesSchema = z.object({
  codecs: z.array(rtpCodecCapabilitySchema).max(MAX_CODECS).optional(),
  headerExtensions: z.array(rtpHeaderExtensionSchema).max(MAX_HEADER_EXTENSIONS).optional(),
});
export type RtpCapabilities = z.infer<typeof rtpCapabilitiesSchema>;

export const rtpCodecParametersSchema = z.object({
  mimeType: shortString,
  payloadType,
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().max(8).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedbackSchema).max(16).optional(),
});

export const rtpEncodingSchema = z.object({
  ssrc: ssrc.optional(),
  rid: z.string().min(1).max(32).optional(),
  codecPayloadType: payloadType.optional(),
  rtx: z.object({ ssrc }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  scaleResolutionDownBy: z.number().min(1).optional(),
  maxBitrate: z.number().int().positive().optional(),
  maxFramerate: z.number().positive().optional(),
  adaptivePtime: z.boolean().optional(),
  priority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
  networkPriority: z.enum(['very-low', 'low', 'medium', 'high']).optional(),
  active: z.boolean().optional(),
});

export const rtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z.array(rtpCodecParametersSchema).min(1).max(MAX_CODECS),
  headerExtensions: z
    .array(
      z.object({
        uri: shortString,
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: codecParameters.optional(),
      }),
    )
    .max(MAX_HEADER_EXTENSIONS)
    .optional(),
  encodings: z.array(rtpEncodingSchema).max(MAX_ENCODINGS).optional(),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
  msid: z.string().max(256).optional(),
});
export type RtpParameters = z.infer<typeof rtpParametersSchema>;

export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: shortString,
      }),
    )
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof dtlsParametersSchema>;

export const iceParametersSchema = z.object({
  usernameFragment: z.string(),
  password: z.string(),
  iceLite: z.boolean().optional(),
});
export type IceParameters = z.infer<typeof iceParametersSchema>;

export const iceCandidateSchema = z.object({
  foundation: z.string(),
  priority: z.number(),
  address: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  port: z.number().int(),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  tcpType: z.enum(['active', 'passive', 'so']).optional(),
});
export type IceCandidate = z.infer<typeof iceCandidateSchema>;
