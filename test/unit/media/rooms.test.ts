// Media room scopes: named and parsed in one module (shared/src/media/rooms.ts).
import { formatRoomScope, MAIN_ROOM, pairRoom, parseRoomScope, roomScopeSchema } from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

describe('room scopes', () => {
  it('parse main and pair rooms and format them back', () => {
    expect(parseRoomScope(MAIN_ROOM)).toEqual({ ok: true, value: { kind: 'main' } });
    expect(parseRoomScope('pair:p-7')).toEqual({ ok: true, value: { kind: 'pair', key: 'p-7' } });
    expect(pairRoom('p-7')).toBe('pair:p-7');
    expect(formatRoomScope({ kind: 'main' })).toBe('main');
  });

  it('refuse anything else with a reason, in the join schema too', () => {
    for (const bad of ['', 'Main', 'pair:', 'pair:a/b', `pair:${'x'.repeat(65)}`, 'group:1']) {
      expect(parseRoomScope(bad).ok, bad).toBe(false);
      expect(v.safeParse(roomScopeSchema, bad).success, bad).toBe(false);
    }
    expect(v.safeParse(roomScopeSchema, 'pair:abc').success).toBe(true);
  });
});
