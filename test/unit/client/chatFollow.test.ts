// The chat following its newest message: when the list counts as "at the bottom", and what arrived while
// the reader was scrolled up (the "N new messages" count; their own message brings them down).
import type { ChatMessage } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import {
  AT_BOTTOM_PX,
  arrivedAfter,
  isAtBottom,
} from '../../../client/src/classroom/chat/useFollowLatest.ts';

const message = (seq: number, authorId: string, deleted = false) =>
  ({ seq, authorId, deleted: deleted ? { byId: authorId, byName: authorId, at: 1 } : null }) as ChatMessage;

describe('following the newest message', () => {
  it('counts the list as at the bottom within a small distance of its end', () => {
    expect(isAtBottom({ scrollHeight: 1000, clientHeight: 300, scrollTop: 700 })).toBe(true);
    expect(isAtBottom({ scrollHeight: 1000, clientHeight: 300, scrollTop: 700 - AT_BOTTOM_PX })).toBe(true);
    expect(isAtBottom({ scrollHeight: 1000, clientHeight: 300, scrollTop: 600 })).toBe(false);
  });

  it('counts new messages from others, and notices our own', () => {
    const messages = [message(1, 'bob'), message(2, 'bob'), message(3, 'cy', true), message(4, 'cy')];
    expect(arrivedAfter(messages, 1, 'me')).toEqual({ fromOthers: 2, own: false });
    expect(arrivedAfter([...messages, message(5, 'me')], 4, 'me')).toEqual({ fromOthers: 0, own: true });
    expect(arrivedAfter(messages, 4, 'me')).toEqual({ fromOthers: 0, own: false });
  });
});
