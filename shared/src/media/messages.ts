// Everything the server sends on the media socket: replies to requests and notifications.
import * as v from 'valibot';
import { mediaNotificationSchema } from './notifications.ts';
import { mediaReplySchema } from './protocol.ts';

export const mediaServerMessageSchema = v.variant('type', [mediaReplySchema, mediaNotificationSchema]);
export type MediaServerMessage = v.InferOutput<typeof mediaServerMessageSchema>;
