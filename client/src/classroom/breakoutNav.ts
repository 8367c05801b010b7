// Moving between the main room and a breakout group: a group is a class of its own, opened with a group
// token at /c/<groupClassId>. The main room's token is kept in this tab's sessionStorage (never sent
// anywhere) so "return to the main room" works without the course page.
import type { BreakoutTokenReply } from '@tandem/shared';

const KEY = (groupClassId: string) => `tandem:return:${groupClassId}`;

export interface ReturnTarget {
  classId: string;
  token: string;
}

export function enterGroup(main: ReturnTarget, reply: BreakoutTokenReply): void {
  sessionStorage.setItem(KEY(reply.classId), JSON.stringify(main));
  window.location.assign(`/c/${encodeURIComponent(reply.classId)}#token=${encodeURIComponent(reply.token)}`);
}

export function returnTarget(groupClassId: string): ReturnTarget | null {
  try {
    const parsed = JSON.parse(
      sessionStorage.getItem(KEY(groupClassId)) ?? 'null',
    ) as Partial<ReturnTarget> | null;
    return parsed && typeof parsed.classId === 'string' && typeof parsed.token === 'string'
      ? { classId: parsed.classId, token: parsed.token }
      : null;
  } catch {
    return null;
  }
}

/** False when this tab did not come from the main room (then the course page is the way back). */
export function returnToMain(groupClassId: string): boolean {
  const target = returnTarget(groupClassId);
  if (!target) return false;
  window.location.assign(
    `/c/${encodeURIComponent(target.classId)}#token=${encodeURIComponent(target.token)}`,
  );
  return true;
}

const LEFT_KEY = (groupClassId: string) => `tandem:left:${groupClassId}`;

/** The person went back to the main room on their own: do not send them into this group again. */
export function markLeft(groupClassId: string): void {
  sessionStorage.setItem(LEFT_KEY(groupClassId), '1');
}

export function hasLeft(groupClassId: string): boolean {
  return sessionStorage.getItem(LEFT_KEY(groupClassId)) === '1';
}
