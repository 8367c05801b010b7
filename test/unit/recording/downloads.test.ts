// Download links and range requests: a link verifies for its own recording and file until it expires, and no
// other; Range headers parse as HTTP says (suffix ranges, open ends, out of range, multi-range ignored).
import { describe, expect, it } from 'vitest';
import { parseRange } from '../../../server/src/recording/sendFile.ts';
import { createSignedUrls } from '../../../server/src/recording/signedUrls.ts';

const query = (url: string) => new URL(url, 'http://x').searchParams;

describe('signed download links', () => {
  it('verify for their recording and file until they expire', () => {
    const urls = createSignedUrls('a-secret-a-secret-a-secret-a-secret-0', 60_000);
    const { url, expiresAt } = urls.sign('rec_1', 'seg1');
    expect(url).toMatch(/^\/api\/recordings\/rec_1\/files\/seg1\?expires=\d+&signature=[\w-]+$/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    const q = query(url);
    expect(urls.verify('rec_1', 'seg1', q.get('expires'), q.get('signature'))).toBe(true);
    expect(urls.verify('rec_1', 'seg2', q.get('expires'), q.get('signature'))).toBe(false);
    expect(urls.verify('rec_2', 'seg1', q.get('expires'), q.get('signature'))).toBe(false);
    expect(urls.verify('rec_1', 'seg1', String(Number(q.get('expires')) + 1), q.get('signature'))).toBe(
      false,
    );
    expect(urls.verify('rec_1', 'seg1', q.get('expires'), null)).toBe(false);
    // Another server secret: not valid.
    const other = createSignedUrls('another-secret-another-secret-0123456');
    expect(other.verify('rec_1', 'seg1', q.get('expires'), q.get('signature'))).toBe(false);
  });

  it('stop working once expired', () => {
    const urls = createSignedUrls(undefined, 60_000);
    const q = query(urls.sign('rec_1', 'seg1', Date.now() - 120_000).url);
    expect(urls.verify('rec_1', 'seg1', q.get('expires'), q.get('signature'))).toBe(false);
  });
});

describe('Range headers', () => {
  it('parse against the file size', () => {
    expect(parseRange(undefined, 1000)).toBeNull();
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-9', 1000)).toBeNull();
    expect(parseRange('items=0-1', 1000)).toBeNull();
  });
});
