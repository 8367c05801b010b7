// Acting on one person: which actions the shared rules allow staff now (the menu shows exactly these and the
// server checks the same permission), and the person action bodies.
import {
  type PersonModeration,
  personActionBodySchema,
  personActionDecision,
  personActions,
} from '@tandem/shared';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';

const ines = { userId: 'ines', role: 'instructor' as const };
const tom = { userId: 'tom', role: 'assistant' as const };
const ana = { userId: 'ana', role: 'student' as const };

function person(patch: Partial<PersonModeration> = {}): PersonModeration {
  return {
    userId: 'bea',
    name: 'Bea',
    role: 'student',
    inCall: true,
    publishing: { mic: true, camera: true, screen: false },
    grant: null,
    removed: false,
    ...patch,
  };
}

describe('personActions', () => {
  it('offers staff what the student is doing now, grants, and both removals', () => {
    expect(personActions(ines, person())).toEqual([
      'mute',
      'stop-camera',
      'let-speak',
      'let-present',
      'remove-from-call',
      'remove-from-class',
    ]);
    expect(
      personActions(
        tom,
        person({ publishing: { mic: false, camera: false, screen: true }, grant: 'present' }),
      ),
    ).toEqual(['stop-screen', 'let-speak', 'revoke-grant', 'remove-from-call', 'remove-from-class']);
  });

  it('offers no call actions to someone not in a call, and only "let back in" once removed', () => {
    expect(personActions(ines, person({ inCall: false }))).toEqual([
      'let-speak',
      'let-present',
      'remove-from-class',
    ]);
    expect(personActions(ines, person({ removed: true, inCall: false }))).toEqual(['let-back-in']);
  });

  it('offers nothing to students, nothing on oneself, and assistants nothing on the instructor', () => {
    expect(personActions(ana, person())).toEqual([]);
    expect(personActions(ines, person({ userId: 'ines', role: 'instructor' }))).toEqual([]);
    expect(personActions(tom, person({ userId: 'ines', role: 'instructor' }))).toEqual([]);
    // Staff have nothing to be granted: everything else is there.
    expect(personActions(ines, person({ userId: 'tom', role: 'assistant' }))).toEqual([
      'mute',
      'stop-camera',
      'remove-from-call',
      'remove-from-class',
    ]);
  });

  it('explains refusals the server sends back', () => {
    expect(personActionDecision(ana, person(), 'mute')).toEqual({
      ok: false,
      reason: 'only instructors and assistants can moderate class media',
    });
    expect(personActionDecision(ines, person({ userId: 'ines' }), 'remove-from-class')).toEqual({
      ok: false,
      reason: 'staff actions are for other people',
    });
    expect(personActionDecision(ines, person({ role: 'observer' }), 'grant').ok).toBe(false);
  });
});

describe('person action bodies', () => {
  it('accept each action and nothing more', () => {
    expect(v.safeParse(personActionBodySchema, { action: 'grant', grant: 'speak' }).success).toBe(true);
    expect(v.safeParse(personActionBodySchema, { action: 'grant', grant: null }).success).toBe(true);
    expect(v.safeParse(personActionBodySchema, { action: 'mute' }).success).toBe(true);
    expect(v.safeParse(personActionBodySchema, { action: 'grant' }).success).toBe(false);
    expect(v.safeParse(personActionBodySchema, { action: 'mute', extra: 1 }).success).toBe(false);
    expect(v.safeParse(personActionBodySchema, { action: 'kick' }).success).toBe(false);
  });
});
