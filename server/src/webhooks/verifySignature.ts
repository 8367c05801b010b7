// Webhook signatures: `Tandem-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the
// scheme of Stripe's and Svix's webhooks. The dispatcher signs every attempt anew; receivers (and the tests)
// verify with `verifySignature`, which refuses timestamps older than the tolerance (replays) in constant time.
// Self-contained on purpose (node:crypto only), so a platform can copy it; docs/webhooks.md shows its use.
import crypto from 'node:crypto';

/** Five minutes, as documented (shared WEBHOOK_TOLERANCE_SECONDS). */
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
/** A header longer than this is not ours (a few signatures during a secret rotation fit easily). */
const MAX_HEADER_LENGTH = 1024;

/** Hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The `Tandem-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

export interface VerifyOptions {
  /** The shared secret (WEBHOOK_SECRET). */
  secret: string;
  /** The `Tandem-Signature` header as received. */
  header: string | null | undefined;
  /** The raw request body, exactly as received (not re-serialised JSON). */
  body: string;
  /** Oldest (and furthest in the future, for clock skew) timestamp accepted; default 300 s. */
  toleranceSeconds?: number;
  /** Now, in unix seconds (tests). */
  nowSeconds?: number;
}

/** Whether `header` signs `body` with `secret` at an acceptable time. Any `v1` entry may match. */
export function verifySignature(options: VerifyOptions): SignatureCheck {
  const { secret, header, body } = options;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!header) return { ok: false, reason: 'missing' };
  if (header.length > MAX_HEADER_LENGTH) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(computeSignature(secret, timestamp, body), 'hex');
  let match = false;
  for (const signature of signatures) {
    match = crypto.timingSafeEqual(expected, Buffer.from(signature, 'hex')) || match;
  }
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
