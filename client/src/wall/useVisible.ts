// Whether an element is on screen (or near it), from an IntersectionObserver: the wall's tiles subscribe to
// their workspace document only while this is true.
import { type RefObject, useEffect, useState } from 'react';

/** Tiles this close below or above the viewport count as visible, so scrolling shows them filled. */
const MARGIN = '200px 0px';

export function useVisible(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) setVisible(entry.isIntersecting);
      },
      { rootMargin: MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return visible;
}
