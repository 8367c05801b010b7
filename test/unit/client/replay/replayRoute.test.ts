// The replay page's addresses (`/replay/<sessionId>`, the embed's `view=replay`, a moment's `t`) and the token
// it starts with (filed under the token's class, found again after a reload).
import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../../client/src/app/route.ts';
import { initialReplayToken } from '../../../../client/src/auth/replayToken.ts';

describe('replay routes', () => {
  it('parses the replay page, with or without a moment', () => {
    expect(parseRoute('/replay/s-1', '')).toEqual({
      page: 'replay',
      sessionId: 's-1',
      embedClassId: null,
      t: null,
    });
    expect(parseRoute('/replay/s-1', '?t=1767225600000')).toMatchObject({ t: 1767225600000 });
    expect(parseRoute('/replay/s-1', '?t=soon')).toMatchObject({ t: null });
    expect(parseRoute('/replay/bad.id', '')).toMatchObject({ page: 'notFound' });
    expect(parseRoute('/replay/s-1/extra', '')).toMatchObject({ page: 'notFound' });
  });

  it('parses the embedded replay, and an embed without a session stays a live embed', () => {
    expect(parseRoute('/embed/cs101', '?view=replay&session=s-1&t=42')).toEqual({
      page: 'replay',
      sessionId: 's-1',
      embedClassId: 'cs101',
      t: 42,
    });
    expect(parseRoute('/embed/cs101', '?view=replay')).toMatchObject({ page: 'embed', view: 'all' });
    expect(parseRoute('/embed/cs101', '?view=replay&session=<x>')).toMatchObject({ page: 'embed' });
  });
});

describe('the replay page’s token', () => {
  const jwt = (cls: string, exp: number) =>
    `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'ada', name: 'Ada', cls, role: 'student', exp })).toString('base64url')}.sig`;
  const memory = () => {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  };
  const FUTURE = Math.floor(Date.now() / 1000) + 3600;

  it('is filed under its class and found again after a reload', () => {
    const storage = memory();
    const token = jwt('cs101', FUTURE);
    expect(initialReplayToken('s-1', storage, token)).toEqual({ token, expired: false });
    expect(storage.items.get('tandem:token:cs101')).toBe(token);
    expect(initialReplayToken('s-1', storage, null)).toEqual({ token, expired: false });
    expect(initialReplayToken('s-2', storage, null)).toEqual({ token: null, expired: false });
  });

  it('says when the kept token expired', () => {
    const storage = memory();
    initialReplayToken('s-1', storage, jwt('cs101', 1000));
    expect(initialReplayToken('s-1', storage, null)).toEqual({ token: null, expired: true });
  });

  it('passes on a token it cannot read (the server refuses it with a message) without filing it', () => {
    const storage = memory();
    expect(initialReplayToken('s-1', storage, 'junk')).toEqual({ token: 'junk', expired: false });
    expect(storage.items.size).toBe(0);
  });
});
