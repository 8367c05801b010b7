// ClassStorage on PostgreSQL: classes and their rosters.
import type { ClassInfo, Role, RosterMember } from '@tandem/shared';
import type { ClassPatch, ClassStorage, NewClass } from '../types/classes.ts';
import { type ClassRow, toClass } from '../types/rowMapping.ts';
import { changes, first, type PgPool, rows, transaction } from './pool.ts';

const MEMBER_COLUMNS = 'user_id AS "userId", name, role';
const UPSERT_MEMBER = `INSERT INTO roster (class_id, user_id, name, role, added_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (class_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role`;

export class PgClassStorage implements ClassStorage {
  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<ClassInfo | null> {
    const row = await first<ClassRow>(this.pool, 'SELECT * FROM classes WHERE id = $1', [id]);
    return row ? toClass(row) : null;
  }

  async list(limit: number, offset: number): Promise<ClassInfo[]> {
    const all = await rows<ClassRow>(
      this.pool,
      'SELECT * FROM classes ORDER BY created_at, id LIMIT $1 OFFSET $2',
      [limit, offset],
    );
    return all.map(toClass);
  }

  async create(input: NewClass): Promise<boolean> {
    const n = await changes(
      this.pool,
      'INSERT INTO classes (id, title, max_participants, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [input.id, input.title, input.maxParticipants, this.now()],
    );
    return n === 1;
  }

  async ensure(id: string): Promise<ClassInfo> {
    await this.create({ id, title: id, maxParticipants: null });
    return (await this.get(id))!;
  }

  async update(id: string, patch: ClassPatch) {
    const current = await this.get(id);
    if (!current) return null;
    await this.pool.query(
      'UPDATE classes SET title = $1, max_participants = $2, replay_for_students = $3 WHERE id = $4',
      [
        patch.title ?? current.title,
        patch.maxParticipants === undefined ? current.maxParticipants : patch.maxParticipants,
        patch.replayForStudents === undefined ? current.replayForStudents : patch.replayForStudents,
        id,
      ],
    );
    return this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    return (await changes(this.pool, 'DELETE FROM classes WHERE id = $1', [id])) === 1;
  }

  roster(classId: string): Promise<RosterMember[]> {
    // COLLATE "C": the byte order SQLite uses, so both engines list a roster the same way.
    return rows(
      this.pool,
      `SELECT ${MEMBER_COLUMNS} FROM roster WHERE class_id = $1 ORDER BY name COLLATE "C", user_id COLLATE "C"`,
      [classId],
    );
  }

  async rosterMember(classId: string, userId: string): Promise<RosterMember | null> {
    const row = await first<RosterMember>(
      this.pool,
      `SELECT ${MEMBER_COLUMNS} FROM roster WHERE class_id = $1 AND user_id = $2`,
      [classId, userId],
    );
    return row ?? null;
  }

  async replaceRoster(classId: string, members: readonly RosterMember[]): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query('DELETE FROM roster WHERE class_id = $1', [classId]);
      for (const m of members)
        await client.query(UPSERT_MEMBER, [classId, m.userId, m.name, m.role, this.now()]);
    });
  }

  async upsertMember(classId: string, member: { userId: string; name: string; role: Role }): Promise<void> {
    await this.pool.query(UPSERT_MEMBER, [classId, member.userId, member.name, member.role, this.now()]);
  }

  async removeMember(classId: string, userId: string): Promise<boolean> {
    const n = await changes(this.pool, 'DELETE FROM roster WHERE class_id = $1 AND user_id = $2', [
      classId,
      userId,
    ]);
    return n === 1;
  }
}
