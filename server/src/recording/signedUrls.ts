// Short-lived download links for recording files: a `<video>` element cannot send a bearer header, and a
// user's token must never go in a URL, so the API hands out URLs signed with an HMAC over the recording, the
// file and an expiry minutes away. The key is derived from AUTH_SECRET (links survive a restart), or random
// per process when tokens are verified with a public key.
import crypto from 'node:crypto';

/** How long a download link works. */
export const DOWNLOAD_URL_TTL_MS = 10 * 60_000;

export interface SignedUrls {
  /** The path and query of a file's download link, and when it stops working (epoch ms). */
  sign(recordingId: string, segmentId: string, now?: number): { url: string; expiresAt: number };
  /** Whether a link's `expires` and `signature` are genuine and not expired. */
  verify(recordingId: string, segmentId: string, expires: string | null, signature: string | null): boolean;
}

export function createSignedUrls(authSecret: string | undefined, ttlMs = DOWNLOAD_URL_TTL_MS): SignedUrls {
  const key = authSecret
    ? crypto.createHmac('sha256', authSecret).update('tandem recording downloads v1').digest()
    : crypto.randomBytes(32);
  const mac = (recordingId: string, segmentId: string, expires: number) =>
    crypto.createHmac('sha256', key).update(`${recordingId}/${segmentId}/${expires}`).digest();
  return {
    sign(recordingId, segmentId, now = Date.now()) {
      const expiresAt = now + ttlMs;
      const expires = Math.floor(expiresAt / 1000);
      const signature = mac(recordingId, segmentId, expires).toString('base64url');
      const path = `/api/recordings/${encodeURIComponent(recordingId)}/files/${encodeURIComponent(segmentId)}`;
      return { url: `${path}?expires=${expires}&signature=${signature}`, expiresAt: expires * 1000 };
    },
    verify(recordingId, segmentId, expires, signature) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
      const at = Number(expires);
      if (at * 1000 < Date.now()) return false;
      const expected = mac(recordingId, segmentId, at);
      const given = Buffer.from(signature, 'base64url');
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    },
  };
}
