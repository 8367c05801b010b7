// Class ids of breakout groups: `<classId>--r<set>g<n>`, with the main class id shortened and hashed when
// the result would pass the 64-character id limit. `--` never appears in a class created through the API.
import crypto from 'node:crypto';
import { BREAKOUT_ID_MARKER } from '@tandem/shared';

const MAX_ID_LENGTH = 64;

export function breakoutClassId(parentClassId: string, setId: number, groupNumber: number): string {
  const suffix = `${BREAKOUT_ID_MARKER}r${setId}g${groupNumber}`;
  if (parentClassId.length + suffix.length <= MAX_ID_LENGTH) return `${parentClassId}${suffix}`;
  const hash = crypto.createHash('sha256').update(parentClassId).digest('hex').slice(0, 8);
  const keep = MAX_ID_LENGTH - suffix.length - hash.length - 1;
  return `${parentClassId.slice(0, keep)}_${hash}${suffix}`;
}

export function mayBeBreakoutClassId(classId: string): boolean {
  return classId.includes(BREAKOUT_ID_MARKER);
}
