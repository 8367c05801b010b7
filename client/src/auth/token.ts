// Reads the JWT from the URL fragment (never the query string, which reaches logs), removes it from the
// address bar, and decodes its claims for display. The server verifies the token; the client never trusts it.
import { type TokenClaims, tokenClaimsSchema } from '@tandem/shared';
import * as v from 'valibot';

/** Returns the `token` fragment parameter and the URL to show without it. */
export function splitTokenFromUrl(href: string): { token: string | null; cleanUrl: string } {
  const url = new URL(href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (token === null) return { token: null, cleanUrl: href };
  fragment.delete('token');
  const rest = fragment.toString();
  url.hash = rest ? `#${rest}` : '';
  return { token: token.trim() || null, cleanUrl: url.href };
}

/** Takes the token out of the current page's fragment and rewrites the history entry without it. */
export function takeTokenFromLocation(): string | null {
  const { token, cleanUrl } = splitTokenFromUrl(window.location.href);
  if (token !== null) window.history.replaceState(window.history.state, '', cleanUrl);
  return token;
}

function decodeBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The token's claims when they are well formed (signature NOT checked: for display and expiry only). */
export function readClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const parsed = v.safeParse(tokenClaimsSchema, JSON.parse(decodeBase64Url(payload)));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

/** Milliseconds until the token expires (negative when it already has). */
export function msUntilExpiry(claims: Pick<TokenClaims, 'exp'>, nowMs = Date.now()): number {
  return claims.exp * 1000 - nowMs;
}
