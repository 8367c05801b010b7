// BreakoutStorage on PostgreSQL: sets, groups and members; at most one open set per class (a unique index).
import type { BreakoutGroup, PersonRef } from '@tandem/shared';
import { breakoutClassId, mayBeBreakoutClassId } from '../../classroom/breakoutIds.ts';
import type { BreakoutSetRow, BreakoutStorage, GroupInfo, GroupSpec } from '../types/breakouts.ts';
import { changes, first, type PgPool, rows, transaction } from './pool.ts';

const SET_COLUMNS = `id, class_id AS "classId", session_id AS "sessionId", state, created_by AS "createdBy",
  created_at AS "createdAt", closed_at AS "closedAt"`;

export class PgBreakoutStorage implements BreakoutStorage {
  /** Group class id -> group (or null: not a group). Groups never change class, so this never goes stale. */
  private readonly groupCache = new Map<string, Omit<GroupInfo, 'state'> | null>();

  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async create(classId: string, sessionId: string, createdBy: string, groups: readonly GroupSpec[]) {
    const created: Omit<GroupInfo, 'state'>[] = [];
    const setId = await transaction(this.pool, async (client) => {
      const set = await first<{ id: number }>(
        client,
        `INSERT INTO breakout_sets (class_id, session_id, state, created_by, created_at)
         VALUES ($1, $2, 'open', $3, $4) RETURNING id`,
        [classId, sessionId, createdBy, this.now()],
      );
      const id = set!.id;
      for (const [index, group] of groups.entries()) {
        const info = {
          classId: breakoutClassId(classId, id, index + 1),
          setId: id,
          parentClassId: classId,
          groupId: `g${index + 1}`,
          name: group.name,
        };
        await client.query(
          `INSERT INTO breakout_groups (class_id, set_id, parent_class_id, group_id, name, position)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [info.classId, id, classId, info.groupId, info.name, index],
        );
        for (const m of group.members) {
          await client.query(
            'INSERT INTO breakout_members (set_id, user_id, name, group_class_id) VALUES ($1, $2, $3, $4)',
            [id, m.id, m.name, info.classId],
          );
        }
        created.push(info);
      }
      return id;
    });
    // Someone may have asked about these ids before they existed.
    for (const info of created) this.groupCache.set(info.classId, info);
    return setId;
  }

  async openSet(classId: string): Promise<BreakoutSetRow | null> {
    const row = await first<BreakoutSetRow>(
      this.pool,
      `SELECT ${SET_COLUMNS} FROM breakout_sets WHERE class_id = $1 AND state = 'open'`,
      [classId],
    );
    return row ?? null;
  }

  async latestSet(classId: string): Promise<BreakoutSetRow | null> {
    const row = await first<BreakoutSetRow>(
      this.pool,
      `SELECT ${SET_COLUMNS} FROM breakout_sets WHERE class_id = $1 ORDER BY id DESC LIMIT 1`,
      [classId],
    );
    return row ?? null;
  }

  async set(setId: number): Promise<BreakoutSetRow | null> {
    const row = await first<BreakoutSetRow>(
      this.pool,
      `SELECT ${SET_COLUMNS} FROM breakout_sets WHERE id = $1`,
      [setId],
    );
    return row ?? null;
  }

  async close(setId: number): Promise<boolean> {
    const n = await changes(
      this.pool,
      "UPDATE breakout_sets SET state = 'closed', closed_at = $1 WHERE id = $2 AND state = 'open'",
      [this.now(), setId],
    );
    return n === 1;
  }

  async groups(setId: number): Promise<BreakoutGroup[]> {
    const [groups, members] = await Promise.all([
      rows<{ classId: string; groupId: string; name: string }>(
        this.pool,
        `SELECT class_id AS "classId", group_id AS "groupId", name FROM breakout_groups
         WHERE set_id = $1 ORDER BY position`,
        [setId],
      ),
      rows<PersonRef & { groupClassId: string }>(
        this.pool,
        `SELECT user_id AS id, name, group_class_id AS "groupClassId" FROM breakout_members
         WHERE set_id = $1 ORDER BY name COLLATE "C", user_id COLLATE "C"`,
        [setId],
      ),
    ]);
    return groups.map((g) => ({
      id: g.groupId,
      name: g.name,
      classId: g.classId,
      members: members.filter((m) => m.groupClassId === g.classId).map(({ id, name }) => ({ id, name })),
    }));
  }

  async group(classId: string): Promise<GroupInfo | null> {
    if (!mayBeBreakoutClassId(classId)) return null;
    let cached = this.groupCache.get(classId);
    if (cached === undefined) {
      const row = await first<Omit<GroupInfo, 'state'>>(
        this.pool,
        `SELECT class_id AS "classId", set_id AS "setId", parent_class_id AS "parentClassId",
           group_id AS "groupId", name FROM breakout_groups WHERE class_id = $1`,
        [classId],
      );
      cached = row ?? null;
      this.groupCache.set(classId, cached);
    }
    if (!cached) return null;
    return { ...cached, state: (await this.set(cached.setId))?.state ?? 'closed' };
  }

  async rootOf(classId: string): Promise<string> {
    if (!mayBeBreakoutClassId(classId)) return classId;
    if (!this.groupCache.has(classId)) await this.group(classId);
    return this.groupCache.get(classId)?.parentClassId ?? classId;
  }
}
