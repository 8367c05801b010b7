// Routes, the token in the fragment and the one kept for the tab, save-state wording, and the static
// server's security headers.
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../client/src/app/route.ts';
import { msUntilExpiry, readClaims, splitTokenFromUrl } from '../../../client/src/auth/token.ts';
import { loadToken, saveToken } from '../../../client/src/auth/tokenPersistence.ts';
import type { DocStatus } from '../../../client/src/collab/DocHandle.ts';
import { saveStateOf } from '../../../client/src/ui/saveState.ts';
import { contentSecurityPolicy, pageHeaders, withEmbedOrigins } from '../../../server/src/http/static.ts';

describe('routes', () => {
  it('parses class, pair, embed and demo pages and rejects bad ids', () => {
    expect(parseRoute('/c/cs101', '')).toEqual({ page: 'class', classId: 'cs101', codeKey: 'main' });
    expect(parseRoute('/c/cs101/pair/team-3', '')).toEqual({ page: 'pair', classId: 'cs101', key: 'team-3' });
    expect(parseRoute('/embed/cs101', '?view=board')).toMatchObject({ page: 'embed', view: 'board' });
    expect(parseRoute('/embed/cs101', '?view=<script>')).toMatchObject({ page: 'embed', view: 'all' });
    expect(parseRoute('/demo', '')).toEqual({ page: 'demo' });
    expect(parseRoute('/c/bad.id', '')).toMatchObject({ page: 'notFound' });
    expect(parseRoute('/', '')).toEqual({ page: 'home' });
  });
});

describe('tokens in the fragment', () => {
  const payload = Buffer.from(
    JSON.stringify({ sub: 'ada', name: 'Ada', cls: 'c1', role: 'instructor', exp: 2000000000 }),
  ).toString('base64url');
  const jwt = `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`;

  it('takes the token out and keeps the rest of the URL', () => {
    expect(splitTokenFromUrl(`https://t.example/c/c1?code=x#token=${jwt}`)).toEqual({
      token: jwt,
      cleanUrl: 'https://t.example/c/c1?code=x',
    });
    expect(splitTokenFromUrl('https://t.example/c/c1#token=abc&foo=1').cleanUrl).toBe(
      'https://t.example/c/c1#foo=1',
    );
    expect(splitTokenFromUrl('https://t.example/c/c1').token).toBeNull();
  });

  it('reads claims for display only, and rejects junk', () => {
    expect(readClaims(jwt)).toMatchObject({ sub: 'ada', role: 'instructor', cls: 'c1' });
    expect(readClaims('a.b.c')).toBeNull();
    expect(readClaims('nodots')).toBeNull();
    expect(msUntilExpiry({ exp: 100 }, 40_000)).toBe(60_000);
  });
});

describe('save state', () => {
  const doc = (over: Partial<DocStatus>): DocStatus => ({
    synced: true,
    scope: 'read-write',
    unsynced: 0,
    localLoaded: true,
    denied: null,
    stale: false,
    refused: null,
    ...over,
  });
  it('is "saved" only when online, synced and nothing is pending', () => {
    expect(saveStateOf({ status: 'online' }, [doc({})])).toBe('saved');
    expect(saveStateOf({ status: 'online' }, [doc({}), doc({ unsynced: 2 })])).toBe('saving');
    expect(
      saveStateOf({ status: 'offline', attempt: 0, since: 0, cause: 'closed' }, [doc({ unsynced: 2 })]),
    ).toBe('offline');
    expect(saveStateOf({ status: 'online' }, [doc({ scope: 'readonly' })])).toBe('readonly');
    expect(saveStateOf({ status: 'online' }, [doc({ scope: 'pending' })])).toBe('connecting');
  });
});

describe('static security headers', () => {
  it('denies framing of app pages and allows only listed origins to frame embeds', () => {
    expect(contentSecurityPolicy('app', ['https://lms.example'])).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy('embed', ['https://lms.example'])).toContain(
      "frame-ancestors 'self' https://lms.example",
    );
    expect(contentSecurityPolicy('embed', [])).toMatch(/frame-ancestors 'self'$/);
    expect(contentSecurityPolicy('app', [])).toContain("script-src 'self';");
    expect(pageHeaders('app', [])['x-frame-options']).toBe('DENY');
    expect(pageHeaders('embed', [])['x-frame-options']).toBe('SAMEORIGIN');
    expect(pageHeaders('embed', ['https://lms.example'])['x-frame-options']).toBeUndefined();
  });

  it('puts the embed origins in a meta tag, escaped', () => {
    const html = withEmbedOrigins('<html><head></head></html>', [
      'https://a.example',
      'https://b.example"><script>',
    ]);
    expect(html).toContain('content="https://a.example https://b.example&#34;&#62;&#60;script&#62;"');
    expect(html).not.toContain('<script>');
  });
});

describe('the token kept for this tab', () => {
  const claims = (exp: number) =>
    Buffer.from(JSON.stringify({ sub: 'ada', name: 'Ada', cls: 'c1', role: 'student', exp })).toString(
      'base64url',
    );
  const jwtExpiring = (expSeconds: number) => `eyJhbGciOiJIUzI1NiJ9.${claims(expSeconds)}.sig`;
  const memory = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  };

  it('keeps a valid token per class and gives it back after a reload', () => {
    const storage = memory();
    const token = jwtExpiring(2_000);
    saveToken(storage, 'c1', token);
    expect(loadToken(storage, 'c1', 1_000_000)).toEqual({ status: 'valid', token });
    expect(loadToken(storage, 'other', 1_000_000)).toEqual({ status: 'none' });
  });

  it('drops an expired token and says it expired; junk is simply gone', () => {
    const storage = memory();
    saveToken(storage, 'c1', jwtExpiring(1_000));
    expect(loadToken(storage, 'c1', 1_000_000)).toEqual({ status: 'expired' });
    expect(storage.items.size).toBe(0);
    expect(loadToken(storage, 'c1', 1_000_000)).toEqual({ status: 'none' });
    storage.setItem('tandem:token:c1', 'not-a-jwt');
    expect(loadToken(storage, 'c1')).toEqual({ status: 'none' });
  });

  it('works without storage (refused by the browser)', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => undefined,
    };
    expect(() => saveToken(refusing, 'c1', 'x')).not.toThrow();
    expect(loadToken(refusing, 'c1')).toEqual({ status: 'none' });
    expect(loadToken(null, 'c1')).toEqual({ status: 'none' });
  });
});
