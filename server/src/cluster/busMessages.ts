// What cluster nodes tell each other through Redis pub/sub (ClusterBus.ts): the message schema, its limits and
// its encoding. Another node's message is input like any other: parsed with this schema, bounded in size,
// and dropped (and counted) when it does not fit, never trusted because it came over the bus.
import { classNoticeSchema, idSchema, notificationSchema } from '@tandem/shared';
import { z } from 'zod';

export const BUS_PROTOCOL_VERSION = 1;
/** A message bigger than this is dropped unread (a batch of notifications is split below it). */
export const BUS_MESSAGE_MAX_BYTES = 256 * 1024;
/**
 * Notifications per message: 50 of the largest possible (title 120 and text 600 code points, 4 bytes each
 * at worst) stay under BUS_MESSAGE_MAX_BYTES.
 */
export const BUS_NOTIFICATIONS_PER_MESSAGE = 50;

export const busMessageSchema = z.discriminatedUnion('kind', [
  /**
   * Notifications stored on `from` for people of the main class `classId`: the node serving that class (the
   * one its pages are connected to) pushes them to their open pages.
   */
  z.strictObject({
    v: z.literal(BUS_PROTOCOL_VERSION),
    kind: z.literal('notifications'),
    from: z.string().min(1).max(128),
    classId: idSchema,
    notifications: z.array(notificationSchema).min(1).max(BUS_NOTIFICATIONS_PER_MESSAGE),
  }),
  /**
   * A class notice `from` made for a class it does not serve (a poll its timer closed there): the node serving
   * `classId` pushes it to the audience's connections.
   */
  z.strictObject({
    v: z.literal(BUS_PROTOCOL_VERSION),
    kind: z.literal('classNotice'),
    from: z.string().min(1).max(128),
    classId: idSchema,
    audience: z.discriminatedUnion('to', [
      z.strictObject({ to: z.literal('class') }),
      z.strictObject({ to: z.literal('staff') }),
      z.strictObject({ to: z.literal('user'), userId: z.string().min(1).max(256) }),
    ]),
    notice: classNoticeSchema,
  }),
]);
export type BusMessage = z.infer<typeof busMessageSchema>;
export type BusMessageKind = BusMessage['kind'];

export type BusDropReason = 'too_large' | 'not_json' | 'invalid';

export type ParsedBusMessage = { ok: true; message: BusMessage } | { ok: false; reason: BusDropReason };

export function encodeBusMessage(message: BusMessage): string {
  return JSON.stringify(message);
}

/** Parses a raw message from the bus; the size is checked before anything is parsed. */
export function parseBusMessage(raw: Buffer): ParsedBusMessage {
  if (raw.byteLength > BUS_MESSAGE_MAX_BYTES) return { ok: false, reason: 'too_large' };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const parsed = busMessageSchema.safeParse(json);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, reason: 'invalid' };
}

/** Splits a batch of notifications into messages that each fit the limits. */
export function notificationMessages(
  from: string,
  classId: string,
  notifications: Extract<BusMessage, { kind: 'notifications' }>['notifications'],
): BusMessage[] {
  const out: BusMessage[] = [];
  for (let i = 0; i < notifications.length; i += BUS_NOTIFICATIONS_PER_MESSAGE) {
    out.push({
      v: BUS_PROTOCOL_VERSION,
      kind: 'notifications',
      from,
      classId,
      notifications: notifications.slice(i, i + BUS_NOTIFICATIONS_PER_MESSAGE),
    });
  }
  return out;
}
