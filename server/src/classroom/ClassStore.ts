// Classes and their rosters in SQLite. The token stays the authority on who may enter a class; the roster is
// the platform's list of who belongs (for attendance of absentees and for mentions).
import type { ClassInfo, Role, RosterMember } from '@tandem/shared';
import type { Db } from '../storage/db.ts';
import type { ClassPatch } from '../storage/types/classes.ts';
import { type ClassRow, toClass } from '../storage/types/rowMapping.ts';

export class ClassStore {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      get: sql.prepare('SELECT * FROM classes WHERE id = ?'),
      list: sql.prepare('SELECT * FROM classes ORDER BY created_at, id LIMIT ? OFFSET ?'),
      insert: sql.prepare(
        'INSERT INTO classes (id, title, max_participants, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      update: sql.prepare(
        'UPDATE classes SET title = ?, max_participants = ?, replay_for_students = ? WHERE id = ?',
      ),
      remove: sql.prepare('DELETE FROM classes WHERE id = ?'),
      roster: sql.prepare(
        'SELECT user_id AS userId, name, role FROM roster WHERE class_id = ? ORDER BY name, user_id',
      ),
      member: sql.prepare(
        'SELECT user_id AS userId, name, role FROM roster WHERE class_id = ? AND user_id = ?',
      ),
      upsertMember: sql.prepare(
        `INSERT INTO roster (class_id, user_id, name, role, added_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (class_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role`,
      ),
      removeMember: sql.prepare('DELETE FROM roster WHERE class_id = ? AND user_id = ?'),
      clearRoster: sql.prepare('DELETE FROM roster WHERE class_id = ?'),
    };
  }

  get(id: string): ClassInfo | null {
    const row = this.stmts.get.get(id) as ClassRow | undefined;
    return row ? toClass(row) : null;
  }

  list(limit: number, offset: number): ClassInfo[] {
    return (this.stmts.list.all(limit, offset) as ClassRow[]).map(toClass);
  }

  /** Creates the class; false when the id is taken. */
  create(input: { id: string; title: string; maxParticipants: number | null }): boolean {
    return this.stmts.insert.run(input.id, input.title, input.maxParticipants, this.now()).changes === 1;
  }

  /** A class known only from tokens (an instructor starting a class) gets a row the first time it is needed. */
  ensure(id: string): ClassInfo {
    this.create({ id, title: id, maxParticipants: null });
    return this.get(id)!;
  }

  update(id: string, patch: ClassPatch): ClassInfo | null {
    const current = this.get(id);
    if (!current) return null;
    const replay =
      patch.replayForStudents === undefined ? current.replayForStudents : patch.replayForStudents;
    this.stmts.update.run(
      patch.title ?? current.title,
      patch.maxParticipants === undefined ? current.maxParticipants : patch.maxParticipants,
      replay === null ? null : replay ? 1 : 0,
      id,
    );
    return this.get(id);
  }

  remove(id: string): boolean {
    return this.stmts.remove.run(id).changes === 1;
  }

  roster(classId: string): RosterMember[] {
    return this.stmts.roster.all(classId) as RosterMember[];
  }

  rosterMember(classId: string, userId: string): RosterMember | null {
    return (this.stmts.member.get(classId, userId) as RosterMember | undefined) ?? null;
  }

  replaceRoster(classId: string, members: readonly RosterMember[]): void {
    this.db.sql.transaction(() => {
      this.stmts.clearRoster.run(classId);
      for (const m of members) this.stmts.upsertMember.run(classId, m.userId, m.name, m.role, this.now());
    })();
  }

  upsertMember(classId: string, member: { userId: string; name: string; role: Role }): void {
    this.stmts.upsertMember.run(classId, member.userId, member.name, member.role, this.now());
  }

  removeMember(classId: string, userId: string): boolean {
    return this.stmts.removeMember.run(classId, userId).changes === 1;
  }
}
