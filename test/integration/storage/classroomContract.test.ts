// The storage contract for the classroom (classes, roster, sessions, attendance, breakouts, chat, hands,
// removals),
// run against every engine (SQLite and PostgreSQL) with the same cases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStorage, STORAGE_ENGINES, type TestStorage } from '../../helpers/storageEngines.ts';

const ana = { id: 'ana', name: 'Ana', role: 'student' as const };
const ben = { id: 'ben', name: 'Ben', role: 'student' as const };
const ida = { id: 'ida', name: 'Ida', role: 'instructor' as const };

describe.each(STORAGE_ENGINES)('classroom storage contract: %s', (engine) => {
  let t: TestStorage;
  beforeEach(async () => {
    t = await openTestStorage(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates classes once, lists them oldest first, updates and removes them', async () => {
    const { classes } = t.storage;
    expect(await classes.create({ id: 'c1', title: 'Algebra', maxParticipants: 30 })).toBe(true);
    expect(await classes.create({ id: 'c1', title: 'Again', maxParticipants: null })).toBe(false);
    expect(await classes.ensure('c2')).toMatchObject({ id: 'c2', title: 'c2', maxParticipants: null });
    expect(await classes.get('c1')).toMatchObject({ id: 'c1', title: 'Algebra', maxParticipants: 30 });
    expect((await classes.list(10, 0)).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect((await classes.list(10, 1)).map((c) => c.id)).toEqual(['c2']);
    expect(await classes.update('c1', { title: 'Geometry' })).toMatchObject({
      title: 'Geometry',
      maxParticipants: 30,
    });
    expect(await classes.update('c1', { maxParticipants: null })).toMatchObject({ maxParticipants: null });
    expect(await classes.update('nope', { title: 'x' })).toBeNull();
    expect(await classes.remove('c1')).toBe(true);
    expect(await classes.remove('c1')).toBe(false);
    expect(await classes.get('c1')).toBeNull();
  });

  it('keeps a roster ordered by name; replacing it drops the others; removing a class drops it', async () => {
    const { classes } = t.storage;
    await classes.ensure('c1');
    await classes.upsertMember('c1', { userId: 'z', name: 'Zoe', role: 'student' });
    await classes.upsertMember('c1', { userId: 'a', name: 'Adam', role: 'assistant' });
    await classes.upsertMember('c1', { userId: 'z', name: 'Zora', role: 'student' });
    expect(await classes.roster('c1')).toEqual([
      { userId: 'a', name: 'Adam', role: 'assistant' },
      { userId: 'z', name: 'Zora', role: 'student' },
    ]);
    expect(await classes.rosterMember('c1', 'z')).toEqual({ userId: 'z', name: 'Zora', role: 'student' });
    await classes.replaceRoster('c1', [
      { userId: 'm', name: 'Mia', role: 'student' },
      { userId: 'b', name: 'Bo', role: 'observer' },
    ]);
    expect((await classes.roster('c1')).map((m) => m.userId)).toEqual(['b', 'm']);
    expect(await classes.removeMember('c1', 'm')).toBe(true);
    expect(await classes.removeMember('c1', 'm')).toBe(false);
    await classes.remove('c1');
    await classes.ensure('c1');
    expect(await classes.roster('c1')).toEqual([]);
  });

  it('runs a session scheduled -> live -> ended, one live per class', async () => {
    const { classes, sessions } = t.storage;
    await classes.ensure('c1');
    const input = { classId: 'c1', scheduledStart: null, scheduledEnd: null, maxParticipants: 5 };
    const first = await sessions.create({ ...input, title: 'Week 1' });
    const second = await sessions.create({ ...input, title: 'Week 2' });
    expect(first).toMatchObject({ classId: 'c1', title: 'Week 1', state: 'scheduled', maxParticipants: 5 });
    expect(await sessions.live('c1')).toBeNull();
    expect(await sessions.start(first.id)).toMatchObject({ state: 'live' });
    expect((await sessions.live('c1'))?.id).toBe(first.id);
    await expect(sessions.start(second.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(sessions.start(first.id)).rejects.toMatchObject({ code: 'conflict' });
    const ended = await sessions.end(first.id);
    expect(ended.state).toBe('ended');
    expect(ended.endedAt).not.toBeNull();
    await expect(sessions.end(first.id)).rejects.toMatchObject({ code: 'conflict' });
    expect(await sessions.live('c1')).toBeNull();
    expect(await sessions.start(second.id)).toMatchObject({ state: 'live' });
    expect((await sessions.list('c1')).map((s) => s.id).sort()).toEqual([first.id, second.id].sort());
    await expect(sessions.require('missing')).rejects.toMatchObject({ code: 'not_found' });
    expect(await sessions.get('missing')).toBeNull();
  });

  it('records attendance: one open interval per person, counters, dangling intervals closed', async () => {
    const { classes, sessions, attendance } = t.storage;
    await classes.ensure('c1');
    const s = await sessions.create({
      classId: 'c1',
      title: 'S',
      scheduledStart: null,
      scheduledEnd: null,
      maxParticipants: null,
    });
    await attendance.join(s.id, ana, 100);
    await attendance.join(s.id, ana, 150);
    await attendance.join(s.id, ben, 120);
    await attendance.leave(s.id, 'ana', 200);
    await attendance.join(s.id, ana, 300);
    await attendance.countMessage(s.id, ana);
    await attendance.countMessage(s.id, ana);
    await attendance.countHand(s.id, ben);
    await attendance.addSpeaking(s.id, ida, 1234.4);
    await attendance.addSpeaking(s.id, ida, 0);
    expect(await attendance.intervals(s.id)).toEqual([
      { userId: 'ana', joinedAt: 100, leftAt: 200 },
      { userId: 'ana', joinedAt: 300, leftAt: null },
      { userId: 'ben', joinedAt: 120, leftAt: null },
    ]);
    const people = await attendance.people(s.id);
    expect(people.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
      { userId: 'ana', name: 'Ana', role: 'student', messages: 2, handsRaised: 0, speakingMs: 0 },
      { userId: 'ben', name: 'Ben', role: 'student', messages: 0, handsRaised: 1, speakingMs: 0 },
      { userId: 'ida', name: 'Ida', role: 'instructor', messages: 0, handsRaised: 0, speakingMs: 1234 },
    ]);
    // An interval never ends before it began.
    expect(await attendance.closeDangling(250)).toBe(2);
    expect(await attendance.intervals(s.id)).toEqual([
      { userId: 'ana', joinedAt: 100, leftAt: 200 },
      { userId: 'ana', joinedAt: 300, leftAt: 300 },
      { userId: 'ben', joinedAt: 120, leftAt: 250 },
    ]);
    await attendance.join(s.id, ben, 400);
    await attendance.leaveAll(s.id, 500);
    expect((await attendance.intervals(s.id)).at(-1)).toEqual({ userId: 'ben', joinedAt: 400, leftAt: 500 });
  });

  it('creates breakout groups, resolves their class ids, closes the set once', async () => {
    const { breakouts } = t.storage;
    const setId = await breakouts.create('c1', 's1', 'ida', [
      { name: 'Red', members: [ben, ana].map(({ id, name }) => ({ id, name })) },
      { name: 'Blue', members: [] },
    ]);
    const groups = await breakouts.groups(setId);
    expect(groups.map((g) => [g.id, g.name, g.members.map((m) => m.id)])).toEqual([
      ['g1', 'Red', ['ana', 'ben']],
      ['g2', 'Blue', []],
    ]);
    const red = groups[0]!.classId;
    expect(await breakouts.group(red)).toEqual({
      classId: red,
      setId,
      parentClassId: 'c1',
      groupId: 'g1',
      name: 'Red',
      state: 'open',
    });
    expect(await breakouts.rootOf(red)).toBe('c1');
    expect(await breakouts.rootOf('c1')).toBe('c1');
    expect(await breakouts.group('c1')).toBeNull();
    expect(await breakouts.openSet('c1')).toMatchObject({
      id: setId,
      classId: 'c1',
      sessionId: 's1',
      state: 'open',
      createdBy: 'ida',
      closedAt: null,
    });
    await expect(breakouts.create('c1', 's1', 'ida', [{ name: 'Again', members: [] }])).rejects.toThrow();
    expect(await breakouts.close(setId)).toBe(true);
    expect(await breakouts.close(setId)).toBe(false);
    expect(await breakouts.openSet('c1')).toBeNull();
    expect((await breakouts.group(red))?.state).toBe('closed');
    expect(await breakouts.latestSet('c1')).toMatchObject({ id: setId, state: 'closed' });
    const next = await breakouts.create('c1', 's1', 'ida', [{ name: 'Green', members: [] }]);
    expect(next).toBeGreaterThan(setId);
    expect((await breakouts.set(next))?.state).toBe('open');
    expect(await breakouts.set(next + 100)).toBeNull();
  });

  it('keeps chat settings: slow mode, forward-only read markers, mutes, the audit', async () => {
    const { chat } = t.storage;
    expect(await chat.slowModeSeconds('c1', 'main')).toBe(0);
    await chat.setSlowMode('c1', 'main', 30);
    expect(await chat.slowModeSeconds('c1', 'main')).toBe(30);
    expect(await chat.readSeq('c1', 'main', 'ana')).toBe(0);
    expect(await chat.markRead('c1', 'main', 'ana', 7)).toBe(7);
    expect(await chat.markRead('c1', 'main', 'ana', 3)).toBe(7);
    expect(await chat.readSeq('c1', 'main', 'ana')).toBe(7);
    await chat.mute('c1', 'ben', null, 'ida');
    expect(await chat.muteState('c1', 'ben')).toEqual({ muted: true, until: null });
    const later = Date.now() + 60_000;
    await chat.mute('c1', 'ana', later, 'ida');
    expect(await chat.muteState('c1', 'ana')).toEqual({ muted: true, until: later });
    await chat.mute('c1', 'ana', Date.now() - 1, 'ida');
    expect(await chat.muteState('c1', 'ana')).toEqual({ muted: false, until: null });
    await chat.unmute('c1', 'ben');
    expect(await chat.muteState('c1', 'ben')).toEqual({ muted: false, until: null });
    const entry = { messageId: 'm1', actorId: 'ida', actorName: 'Ida', authorId: 'ana', oldText: 'oops' };
    await chat.audit('c1', 'main', { ...entry, action: 'edit' });
    await chat.audit('c1', 'main', { ...entry, action: 'delete' });
    await chat.audit('c1', 'other', { ...entry, action: 'delete' });
    const log = await chat.auditLog('c1', 'main', 0, 10);
    expect(log.map((e) => e.action)).toEqual(['edit', 'delete']);
    expect(log[0]).toMatchObject({ ...entry, action: 'edit' });
    expect(typeof log[0]!.at).toBe('number');
    expect((await chat.auditLog('c1', 'main', log[0]!.id, 10)).map((e) => e.id)).toEqual([log[1]!.id]);
    const again = await t.restart();
    expect(await again.chat.slowModeSeconds('c1', 'main')).toBe(30);
  });

  it('raises one hand per person, queues them in order, lowers one or all', async () => {
    const { hands } = t.storage;
    expect(await hands.raise('c1', 's1', ana, null)).toBe(true);
    expect(await hands.raise('c1', 's1', ana, null)).toBe(false);
    expect(await hands.raise('c1', 's1', ben, 'g1')).toBe(true);
    expect(await hands.raise('c2', 's2', ana, null)).toBe(true);
    const queue = await hands.queue('c1');
    expect(queue.map((h) => [h.userId, h.name, h.role, h.groupId])).toEqual([
      ['ana', 'Ana', 'student', null],
      ['ben', 'Ben', 'student', 'g1'],
    ]);
    expect(await hands.isRaised('c1', 'ana')).toBe(true);
    expect(await hands.lower('c1', 'ana', 'ida')).toBe(true);
    expect(await hands.lower('c1', 'ana', 'ida')).toBe(false);
    expect(await hands.isRaised('c1', 'ana')).toBe(false);
    expect(await hands.raise('c1', 's1', ana, null)).toBe(true);
    expect((await hands.lowerAll('c1', 'ida')).sort()).toEqual(['ana', 'ben']);
    expect(await hands.queue('c1')).toEqual([]);
    expect(await hands.isRaised('c2', 'ana')).toBe(true);
  });

  it('removes a person once per class, keeps it over a restart, lets them back in one by one or all', async () => {
    const { removals } = t.storage;
    const by = { byId: 'ida', byName: 'Ida' };
    expect(await removals.add('c1', { sessionId: 's1', person: ana, ...by })).toBe(true);
    expect(await removals.add('c1', { sessionId: 's1', person: ana, ...by })).toBe(false);
    expect(await removals.add('c1', { sessionId: null, person: ben, ...by })).toBe(true);
    expect(await removals.add('c2', { sessionId: 's2', person: ana, ...by })).toBe(true);
    const active = await t.restart().then((s) => s.removals.active('c1'));
    expect(active.map((r) => [r.userId, r.name, r.role, r.byName])).toEqual([
      ['ana', 'Ana', 'student', 'Ida'],
      ['ben', 'Ben', 'student', 'Ida'],
    ]);
    expect(typeof active[0]!.at).toBe('number');
    const again = t.storage.removals;
    expect(await again.lift('c1', 'ana', 'ida')).toBe(true);
    expect(await again.lift('c1', 'ana', 'ida')).toBe(false);
    expect((await again.active('c1')).map((r) => r.userId)).toEqual(['ben']);
    // Removed again after being let back in: a new active removal.
    expect(await again.add('c1', { sessionId: 's1', person: ana, ...by })).toBe(true);
    expect((await again.liftAll('c1', 'ida')).sort()).toEqual(['ana', 'ben']);
    expect(await again.active('c1')).toEqual([]);
    expect((await again.active('c2')).map((r) => r.userId)).toEqual(['ana']);
  });
});
