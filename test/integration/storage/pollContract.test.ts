// The poll storage contract, run against every engine (SQLite and PostgreSQL) with the same cases: drafts that
// launch and close once, one answer per person per question (a second replaces the first), no answers once
// closed, staff marks over automatic grades, per-session listing, and everything surviving a restart.
import type { PollDefinition } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const quiz: PollDefinition = {
  title: 'Loops',
  kind: 'quiz',
  anonymous: false,
  timerSeconds: 60,
  questions: [
    { type: 'single', prompt: 'Which loop?', options: ['for', 'while'], correct: [0], points: 2 },
    { type: 'code', prompt: 'Print hi', expected: 'print("hi")' },
  ],
};

describe.each(STORAGE_ENGINES)('poll storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates drafts, launches and closes each once, and keeps all of it over a restart', async () => {
    const { polls } = t.storage;
    const created = await polls.create({
      id: 'p1',
      classId: 'c1',
      definition: quiz,
      createdBy: 'ines',
      createdAt: 1000,
    });
    expect(created).toMatchObject({ id: 'p1', classId: 'c1', state: 'draft', sessionId: null, shown: false });
    expect(created.definition).toEqual(quiz);
    await polls.create({
      id: 'p2',
      classId: 'c1',
      definition: { ...quiz, title: 'Second' },
      createdBy: null,
      createdAt: 2000,
    });
    await polls.create({ id: 'p3', classId: 'c2', definition: quiz, createdBy: null, createdAt: 3000 });

    expect(await polls.updateDraft('p1', { ...quiz, title: 'Loops!' })).toBe(true);
    expect(await polls.launch('p1', 5000, 's1', 65_000)).toBe(true);
    expect(await polls.launch('p1', 6000, 's1', null)).toBe(false);
    expect(await polls.updateDraft('p1', quiz)).toBe(false);
    expect(await polls.removeDraft('p1')).toBe(false);
    expect((await polls.open()).map((p) => p.id)).toEqual(['p1']);
    expect(await polls.close('p1', 7000)).toBe(true);
    expect(await polls.close('p1', 8000)).toBe(false);
    expect(await polls.setShown('p1', true)).toBe(true);
    expect(await polls.removeDraft('p2')).toBe(true);

    const again = (await t.restart()).polls;
    expect(await again.get('p1')).toMatchObject({
      state: 'closed',
      sessionId: 's1',
      openedAt: 5000,
      closedAt: 7000,
      closesAt: 65_000,
      shown: true,
      createdBy: 'ines',
    });
    expect((await again.get('p1'))?.definition.title).toBe('Loops!');
    expect(await again.get('p2')).toBeNull();
    expect((await again.list('c1', 10)).map((p) => p.id)).toEqual(['p1']);
    expect((await again.ofSession('s1')).map((p) => p.id)).toEqual(['p1']);
    expect(await again.open()).toEqual([]);
  });

  it('keeps one answer per person per question, takes none once closed, and lets marks win', async () => {
    const { polls } = t.storage;
    await polls.create({ id: 'p1', classId: 'c1', definition: quiz, createdBy: null, createdAt: 1000 });
    const answer = (
      userId: string,
      question: number,
      value: { choices: number[] } | { text: string },
      at: number,
    ) => ({
      question,
      userId,
      name: userId.toUpperCase(),
      value,
      correct: question === 0 ? 'choices' in value && value.choices[0] === 0 : null,
      updatedAt: at,
    });
    expect(await polls.answer('p1', [answer('ana', 0, { choices: [0] }, 1)])).toBe(false);
    await polls.launch('p1', 2000, null, null);
    expect(
      await polls.answer('p1', [answer('ana', 0, { choices: [1] }, 10), answer('ana', 1, { text: 'x' }, 10)]),
    ).toBe(true);
    expect(await polls.answer('p1', [answer('ben', 0, { choices: [0] }, 11)])).toBe(true);
    // Changing an answer replaces it.
    expect(await polls.answer('p1', [answer('ana', 0, { choices: [0] }, 12)])).toBe(true);
    expect(await polls.mark('p1', 1, 'ana', true)).toBe(true);
    expect(await polls.mark('p1', 1, 'zed', true)).toBe(false);

    const stored = await polls.answers('p1');
    expect(stored.map((a) => [a.question, a.userId, a.value, a.correct])).toEqual([
      [0, 'ben', { choices: [0] }, true],
      [0, 'ana', { choices: [0] }, true],
      [1, 'ana', { text: 'x' }, true],
    ]);
    // A new answer clears the staff's mark of the old one.
    await polls.answer('p1', [answer('ana', 1, { text: 'y' }, 13)]);
    expect((await polls.answers('p1')).find((a) => a.question === 1)?.correct).toBeNull();

    await polls.close('p1', 3000);
    expect(await polls.answer('p1', [answer('cy', 0, { choices: [0] }, 14)])).toBe(false);
    const afterRestart = await (await t.restart()).polls.answers('p1');
    expect(afterRestart).toHaveLength(3);
    expect(afterRestart.some((a) => a.userId === 'cy')).toBe(false);
  });
});
