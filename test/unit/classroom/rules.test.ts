import {
  CHAT_MAX_CHARS,
  chatLength,
  classIdSchema,
  createBreakoutsBodySchema,
  extractMentions,
  isValidId,
  reactionSchema,
  sendChatBodySchema,
} from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { breakoutClassId } from '../../../server/src/classroom/breakoutIds.ts';
import { KeyedLimiter } from '../../../server/src/classroom/KeyedLimiter.ts';
import { createPrincipalAuth } from '../../../server/src/classroom/principal.ts';

describe('mentions', () => {
  it('finds @ids at word starts, once each, optionally only known people', () => {
    expect(extractMentions('hi @ana, @li and @ana again; mail x@y.com')).toEqual(['ana', 'li']);
    expect(extractMentions('@ana @zed', (id) => id === 'ana')).toEqual(['ana']);
    expect(extractMentions('`@code` is not special here: @@x')).toEqual(['code']);
  });
});

describe('chat text', () => {
  it('counts characters as code points', () => {
    expect(chatLength('😀😀')).toBe(2);
    expect(v.safeParse(sendChatBodySchema, { text: '😀'.repeat(CHAT_MAX_CHARS) }).success).toBe(true);
    expect(v.safeParse(sendChatBodySchema, { text: 'a'.repeat(CHAT_MAX_CHARS + 1) }).success).toBe(false);
  });

  it('accepts emoji reactions but never markup', () => {
    expect(v.safeParse(reactionSchema, '👍').success).toBe(true);
    expect(v.safeParse(reactionSchema, ':+1:').success).toBe(true);
    for (const bad of ['<b>', '"x"', 'a b', '', 'x'.repeat(17)])
      expect(v.safeParse(reactionSchema, bad).success).toBe(false);
  });
});

describe('breakout ids', () => {
  it('are valid ids, reserved for groups, and unique per set and group even for long class ids', () => {
    expect(breakoutClassId('algo', 3, 2)).toBe('algo--r3g2');
    const long = 'x'.repeat(64);
    const a = breakoutClassId(long, 12, 1);
    const b = breakoutClassId(`${'x'.repeat(63)}y`, 12, 1);
    expect(a).toHaveLength(64);
    expect(isValidId(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(v.safeParse(classIdSchema, a).success).toBe(false);
  });

  it('chosen groups cannot share a person', () => {
    const body = { mode: 'chosen', groups: [{ members: ['a', 'b'] }, { members: ['b'] }] };
    expect(v.safeParse(createBreakoutsBodySchema, body).success).toBe(false);
    expect(v.safeParse(createBreakoutsBodySchema, { mode: 'random', groupCount: 0 }).success).toBe(false);
  });
});

describe('KeyedLimiter', () => {
  it('allows a burst per key, then refuses until tokens refill', () => {
    let now = 0;
    const limiter = new KeyedLimiter(1, 2, 'slow down', () => now);
    limiter.take('a');
    limiter.take('a');
    expect(() => limiter.take('a')).toThrow('slow down');
    limiter.take('b');
    now = 1000;
    limiter.take('a');
  });
});

describe('API keys', () => {
  const verifier = {
    verify: async () => {
      throw new Error('not a token');
    },
  };
  const request = (bearer: string) => ({ headers: { authorization: `Bearer ${bearer}` } }) as never;

  it('recognise any configured key and nothing else', async () => {
    const auth = createPrincipalAuth(['first-key', 'second-key'], verifier);
    expect(await auth.authenticate(request('second-key'))).toEqual({ kind: 'platform' });
    await expect(auth.authenticate(request('second-ke'))).rejects.toThrow('not a token');
    await expect(auth.authenticate({ headers: {} } as never)).rejects.toThrow('Bearer');
  });

  it('with no keys configured, every bearer is treated as a token', async () => {
    await expect(createPrincipalAuth([], verifier).authenticate(request(''))).rejects.toThrow();
  });
});
