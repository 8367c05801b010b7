// Two-finger pan and zoom on touch screens (tablets): tracks touch pointers on the board canvas and, while
// two are down, turns their movement into view changes instead of drawing.
import { type PointerEvent, useRef } from 'react';
import { type Point, pinchStep, type View } from './viewport.ts';

export interface PinchTarget {
  view(): View;
  setView(view: View): void;
  /** A second finger arrived: abandon whatever the first one started drawing. */
  cancelDrawing(): void;
}

export function useTouchPinch(target: PinchTarget) {
  const touches = useRef(new Map<number, Point>());
  const pinching = useRef(false);

  const local = (e: PointerEvent<HTMLElement>): Point => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  return {
    /** Returns true when the event belongs to a pinch (the caller must not draw with it). */
    down(e: PointerEvent<HTMLElement>): boolean {
      if (e.pointerType !== 'touch') return false;
      touches.current.set(e.pointerId, local(e));
      if (touches.current.size === 2) {
        pinching.current = true;
        target.cancelDrawing();
      }
      return pinching.current;
    },
    move(e: PointerEvent<HTMLElement>): boolean {
      if (!pinching.current || !touches.current.has(e.pointerId)) return false;
      const before = [...touches.current.values()] as [Point, Point];
      touches.current.set(e.pointerId, local(e));
      const after = [...touches.current.values()] as [Point, Point];
      if (before.length === 2 && after.length === 2) target.setView(pinchStep(target.view(), before, after));
      return true;
    },
    up(e: PointerEvent<HTMLElement>): boolean {
      const was = pinching.current;
      touches.current.delete(e.pointerId);
      if (touches.current.size === 0) pinching.current = false;
      return was;
    },
  };
}
