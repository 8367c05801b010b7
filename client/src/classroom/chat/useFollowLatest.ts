// Keeps the chat at its newest message: it opens there, and follows new messages while the reader is at the
// bottom. A reader who scrolled up stays where they are and is told how many messages arrived below ("N new
// messages"), until they jump down or scroll there. Their own message always brings them down.
import type { ChatMessage } from '@tandem/shared';
import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Within this distance of the end, the list counts as "at the newest message". */
export const AT_BOTTOM_PX = 40;

export function isAtBottom(el: Pick<HTMLElement, 'scrollHeight' | 'scrollTop' | 'clientHeight'>): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
}

/** What arrived after `afterSeq`: how many messages from others, and whether one is ours. */
export function arrivedAfter(
  messages: readonly ChatMessage[],
  afterSeq: number,
  selfId: string,
): { fromOthers: number; own: boolean } {
  let fromOthers = 0;
  let own = false;
  for (const m of messages) {
    if (m.seq <= afterSeq) continue;
    if (m.authorId === selfId) own = true;
    else if (!m.deleted) fromOthers++;
  }
  return { fromOthers, own };
}

export function useFollowLatest(
  listRef: RefObject<HTMLElement | null>,
  messages: readonly ChatMessage[],
  selfId: string,
  visible: boolean,
): { unseen: number; jumpToLatest(): void } {
  const [unseen, setUnseen] = useState(0);
  const following = useRef(true);
  const seenSeq = useRef(0);

  const toBottom = useCallback(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [listRef]);

  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const onScroll = () => {
      // A hidden list (another tab is open) measures as empty: it says nothing about the reader.
      if (list.clientHeight === 0) return;
      following.current = isAtBottom(list);
      if (following.current) setUnseen(0);
    };
    list.addEventListener('scroll', onScroll, { passive: true });
    // The list's box changes too (the call panel above grows, the window shrinks): stay at the end.
    const resize = new ResizeObserver(() => {
      if (following.current && list.clientHeight > 0) list.scrollTop = list.scrollHeight;
    });
    resize.observe(list);
    return () => {
      list.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [listRef]);

  useLayoutEffect(() => {
    const latest = messages.at(-1)?.seq ?? 0;
    const { fromOthers, own } = arrivedAfter(messages, seenSeq.current, selfId);
    seenSeq.current = Math.max(seenSeq.current, latest);
    if (following.current || own) {
      following.current = true;
      setUnseen(0);
      toBottom();
    } else if (fromOthers > 0) {
      setUnseen((n) => n + fromOthers);
    }
  }, [messages, selfId, toBottom]);

  // Coming back to the chat tab: a list that was following is shown at its end again.
  useLayoutEffect(() => {
    if (visible && following.current) toBottom();
  }, [visible, toBottom]);

  const jumpToLatest = useCallback(() => {
    following.current = true;
    setUnseen(0);
    toBottom();
  }, [toBottom]);

  return { unseen, jumpToLatest };
}
