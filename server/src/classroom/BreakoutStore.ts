// Breakout sets, their groups and members in SQLite. A group is known by its own class id; at most one set
// per class is open at a time (a unique index).
import type { BreakoutGroup, PersonRef } from '@tandem/shared';
import type { Db } from '../storage/db.ts';
import type { BreakoutSetRow, GroupInfo, GroupSpec } from '../storage/types/breakouts.ts';
import { breakoutClassId, mayBeBreakoutClassId } from './breakoutIds.ts';

const SET_COLUMNS = `id, class_id AS classId, session_id AS sessionId, state, created_by AS createdBy,
  created_at AS createdAt, closed_at AS closedAt`;

export class BreakoutStore {
  private readonly stmts;
  /** Group class id -> group (or null: not a group). Groups never change class, so this never goes stale. */
  private readonly groupCache = new Map<string, Omit<GroupInfo, 'state'> | null>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      insertSet: sql.prepare(
        "INSERT INTO breakout_sets (class_id, session_id, state, created_by, created_at) VALUES (?, ?, 'open', ?, ?)",
      ),
      insertGroup: sql.prepare(
        'INSERT INTO breakout_groups (class_id, set_id, parent_class_id, group_id, name, position) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      insertMember: sql.prepare(
        'INSERT INTO breakout_members (set_id, user_id, name, group_class_id) VALUES (?, ?, ?, ?)',
      ),
      set: sql.prepare(`SELECT ${SET_COLUMNS} FROM breakout_sets WHERE id = ?`),
      openSet: sql.prepare(`SELECT ${SET_COLUMNS} FROM breakout_sets WHERE class_id = ? AND state = 'open'`),
      latestSet: sql.prepare(
        `SELECT ${SET_COLUMNS} FROM breakout_sets WHERE class_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      closeSet: sql.prepare(
        "UPDATE breakout_sets SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'",
      ),
      groups: sql.prepare(
        'SELECT class_id AS classId, group_id AS groupId, name FROM breakout_groups WHERE set_id = ? ORDER BY position',
      ),
      members: sql.prepare(
        'SELECT user_id AS id, name, group_class_id AS groupClassId FROM breakout_members WHERE set_id = ? ORDER BY name, user_id',
      ),
      group: sql.prepare(
        `SELECT class_id AS classId, set_id AS setId, parent_class_id AS parentClassId, group_id AS groupId, name
         FROM breakout_groups WHERE class_id = ?`,
      ),
    };
  }

  /** Creates an open set with its groups; returns the set id. */
  create(classId: string, sessionId: string, createdBy: string, groups: readonly GroupSpec[]): number {
    const created: Omit<GroupInfo, 'state'>[] = [];
    const setId = this.db.sql.transaction(() => {
      const id = Number(this.stmts.insertSet.run(classId, sessionId, createdBy, this.now()).lastInsertRowid);
      groups.forEach((group, index) => {
        const info = {
          classId: breakoutClassId(classId, id, index + 1),
          setId: id,
          parentClassId: classId,
          groupId: `g${index + 1}`,
          name: group.name,
        };
        this.stmts.insertGroup.run(info.classId, id, classId, info.groupId, info.name, index);
        for (const m of group.members) this.stmts.insertMember.run(id, m.id, m.name, info.classId);
        created.push(info);
      });
      return id;
    })();
    // Someone may have asked about these ids before they existed.
    for (const info of created) this.groupCache.set(info.classId, info);
    return setId;
  }

  openSet(classId: string): BreakoutSetRow | null {
    return (this.stmts.openSet.get(classId) as BreakoutSetRow | undefined) ?? null;
  }

  latestSet(classId: string): BreakoutSetRow | null {
    return (this.stmts.latestSet.get(classId) as BreakoutSetRow | undefined) ?? null;
  }

  set(setId: number): BreakoutSetRow | null {
    return (this.stmts.set.get(setId) as BreakoutSetRow | undefined) ?? null;
  }

  close(setId: number): boolean {
    return this.stmts.closeSet.run(this.now(), setId).changes === 1;
  }

  groups(setId: number): BreakoutGroup[] {
    const groups = this.stmts.groups.all(setId) as { classId: string; groupId: string; name: string }[];
    const members = this.stmts.members.all(setId) as (PersonRef & { groupClassId: string })[];
    return groups.map((g) => ({
      id: g.groupId,
      name: g.name,
      classId: g.classId,
      members: members.filter((m) => m.groupClassId === g.classId).map(({ id, name }) => ({ id, name })),
    }));
  }

  /** The group a class id belongs to, or null for an ordinary class. */
  group(classId: string): GroupInfo | null {
    if (!mayBeBreakoutClassId(classId)) return null;
    let cached = this.groupCache.get(classId);
    if (cached === undefined) {
      cached = (this.stmts.group.get(classId) as Omit<GroupInfo, 'state'> | undefined) ?? null;
      this.groupCache.set(classId, cached);
    }
    if (!cached) return null;
    return { ...cached, state: this.set(cached.setId)?.state ?? 'closed' };
  }

  /** The main class of a class id: itself unless it is a breakout group. */
  rootOf(classId: string): string {
    if (!mayBeBreakoutClassId(classId)) return classId;
    if (!this.groupCache.has(classId)) this.group(classId);
    return this.groupCache.get(classId)?.parentClassId ?? classId;
  }
}
