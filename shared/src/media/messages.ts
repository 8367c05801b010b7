// Everything the server sends on the media socket: replies to requests and notifications.
import { z } from 'zod';
import { mediaNotificationSchema } from './notifications.ts';
import { mediaReplySchema } from './protocol.ts';

export const mediaServerMessageSchema = z.discriminatedUnion('type', [
  mediaReplySchema,
  mediaNotificationSchema,
]);
export type MediaServerMessage = z.infer<typeof mediaServerMessageSchema>;
