// What cluster nodes tell each other through Redis pub/sub (ClusterBus.ts): the message schema, its limits and
// its encoding. Another node's message is input like any other: parsed with this schema, bounded in size,
// and dropped (and counted) when it does not fit, never trusted because it came over the bus.
import { classNoticeSchema, idSchema, notificationSchema } from '@tandem/shared';
import * as v from 'valibot';

export const BUS_PROTOCOL_VERSION = 1;
/** A message bigger than this is dropped unread (a batch of notifications is split below it). */
export const BUS_MESSAGE_MAX_BYTES = 256 * 1024;
/**
 * Notifications per message: 50 of the largest possible (title 120 and text 600 code points, 4 bytes each
 * at worst) stay under BUS_MESSAGE_MAX_BYTES.
 */
export const BUS_NOTIFICATIONS_PER_MESSAGE = 50;

export const busMessageSchema = v.variant('kind', [
  /**
   * Notifications stored on `from` for people of the main class `classId`: the node serving that class (the
   * one its pages are connected to) pushes them to their open pages.
   */
  v.strictObject({
    v: v.literal(BUS_PROTOCOL_VERSION),
    kind: v.literal('notifications'),
    from: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    classId: idSchema,
    notifications: v.pipe(
      v.array(notificationSchema),
      v.minLength(1),
      v.maxLength(BUS_NOTIFICATIONS_PER_MESSAGE),
    ),
  }),
  /**
   * A class notice `from` made for a class it does not serve (a poll its timer closed there): the node serving
   * `classId` pushes it to the audience's connections.
   */
  v.strictObject({
    v: v.literal(BUS_PROTOCOL_VERSION),
    kind: v.literal('classNotice'),
    from: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    classId: idSchema,
    audience: v.variant('to', [
      v.strictObject({ to: v.literal('class') }),
      v.strictObject({ to: v.literal('staff') }),
      v.strictObject({ to: v.literal('user'), userId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)) }),
    ]),
    notice: classNoticeSchema,
  }),
]);
export type BusMessage = v.InferOutput<typeof busMessageSchema>;
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
  const parsed = v.safeParse(busMessageSchema, json);
  return parsed.success ? { ok: true, message: parsed.output } : { ok: false, reason: 'invalid' };
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
