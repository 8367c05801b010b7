// Webhook signatures: what the dispatcher signs verifies with the same secret, and every tampering, a wrong
// secret, an old or future timestamp, or a malformed header is refused.
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  signatureHeader,
  verifySignature,
} from '../../../server/src/webhooks/verifySignature.ts';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
const body = '{"id":"evt_1","type":"class.started"}';
const t = 1_800_000_000;

describe('webhook signatures', () => {
  it('are HMAC-SHA256 over "<t>.<body>" in hex, in a t=...,v1=... header', () => {
    // Reference value from an independent HMAC: printf '1.x' | openssl dgst -sha256 -hmac key
    expect(computeSignature('key', 1, 'x')).toBe(
      'fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec',
    );
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${computeSignature(secret, t, body)}`);
    expect(computeSignature(secret, t, body)).not.toBe(computeSignature(secret, t + 1, body));
  });

  it('verify with the same secret and body within the tolerance', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature({ secret, header, body, nowSeconds: t })).toEqual({ ok: true, timestamp: t });
    expect(verifySignature({ secret, header, body, nowSeconds: t + 300 }).ok).toBe(true);
    expect(verifySignature({ secret, header, body, nowSeconds: t - 300 }).ok).toBe(true);
  });

  it('refuse a wrong secret, a changed body and a changed timestamp', () => {
    const header = signatureHeader(secret, t, body);
    const at = { nowSeconds: t };
    expect(verifySignature({ secret: `${secret}x`, header, body, ...at })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignature({ secret, header, body: `${body} `, ...at }).ok).toBe(false);
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(verifySignature({ secret, header: moved, body, nowSeconds: t })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuse timestamps outside the tolerance (5 minutes by default): replays', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature({ secret, header, body, nowSeconds: t + 301 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifySignature({ secret, header, body, nowSeconds: t - 301 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifySignature({ secret, header, body, nowSeconds: t + 30, toleranceSeconds: 10 }).ok).toBe(
      false,
    );
  });

  it('refuse missing and malformed headers; accept any of several v1 signatures (secret rotation)', () => {
    const good = computeSignature(secret, t, body);
    const other = computeSignature('another-secret-another-secret-1234', t, body);
    const check = (header: string | undefined) => verifySignature({ secret, header, body, nowSeconds: t });
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(check('')).toEqual({ ok: false, reason: 'missing' });
    expect(check(`v1=${good}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(check(`t=${t}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(check(`t=${t},v1=${good.slice(2)}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(check(`t=${t},v0=${good}`)).toEqual({ ok: false, reason: 'malformed' });
    expect(check(`t=${t},v1=${other}`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(check(`t=${t},v1=${other},v1=${good}`)).toEqual({ ok: true, timestamp: t });
    expect(check(`t=${t},v1=${good},${'x'.repeat(2000)}`)).toEqual({ ok: false, reason: 'malformed' });
  });
});
