// The security headers of every API response and refusal (JSON bodies, errors, 404s, refused upgrades), in
// one place. Pages set their own, richer set in static.ts.

/** Headers for a response that is data, never a document to render, frame or cache. */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
});

/** The same headers as raw HTTP/1.1 lines, for refusals written straight to an upgrade's socket. */
export const API_HEADER_LINES = Object.entries(API_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');
