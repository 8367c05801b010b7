// Sessions of a class in SQLite: scheduled -> live -> ended, at most one live per class (a unique index).
import crypto from 'node:crypto';
import type { SessionInfo } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { type SessionRow, toSession } from '../storage/types/rowMapping.ts';

export interface NewSession {
  classId: string;
  title: string;
  scheduledStart: number | null;
  scheduledEnd: number | null;
  maxParticipants: number | null;
}

export class SessionStore {
  private readonly stmts;
  /** The live session per class, asked for on every connection and chat message. */
  private readonly liveCache = new Map<string, SessionInfo | null>();

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      get: sql.prepare('SELECT * FROM sessions WHERE id = ?'),
      list: sql.prepare('SELECT * FROM sessions WHERE class_id = ? ORDER BY created_at DESC LIMIT ?'),
      live: sql.prepare("SELECT * FROM sessions WHERE class_id = ? AND state = 'live'"),
      insert: sql.prepare(
        `INSERT INTO sessions (id, class_id, title, state, scheduled_start, scheduled_end, max_participants, created_at)
         VALUES (?, ?, ?, 'scheduled', ?, ?, ?, ?)`,
      ),
      start: sql.prepare(
        "UPDATE sessions SET state = 'live', started_at = ? WHERE id = ? AND state = 'scheduled'",
      ),
      end: sql.prepare("UPDATE sessions SET state = 'ended', ended_at = ? WHERE id = ? AND state = 'live'"),
    };
  }

  get(id: string): SessionInfo | null {
    const row = this.stmts.get.get(id) as SessionRow | undefined;
    return row ? toSession(row) : null;
  }

  list(classId: string, limit = 200): SessionInfo[] {
    return (this.stmts.list.all(classId, limit) as SessionRow[]).map(toSession);
  }

  live(classId: string): SessionInfo | null {
    if (this.liveCache.has(classId)) return this.liveCache.get(classId)!;
    const row = this.stmts.live.get(classId) as SessionRow | undefined;
    const session = row ? toSession(row) : null;
    this.liveCache.set(classId, session);
    return session;
  }

  create(input: NewSession): SessionInfo {
    const id = crypto.randomUUID();
    this.stmts.insert.run(
      id,
      input.classId,
      input.title,
      input.scheduledStart,
      input.scheduledEnd,
      input.maxParticipants,
      this.now(),
    );
    return this.get(id)!;
  }

  start(id: string): SessionInfo {
    const session = this.require(id);
    if (session.state !== 'scheduled') throw new AppError('conflict', `session is already ${session.state}`);
    const live = this.live(session.classId);
    if (live) throw new AppError('conflict', `session ${live.id} of this class is live; end it first`);
    this.stmts.start.run(this.now(), id);
    this.liveCache.delete(session.classId);
    return this.get(id)!;
  }

  end(id: string): SessionInfo {
    const session = this.require(id);
    if (session.state !== 'live') throw new AppError('conflict', `session is ${session.state}, not live`);
    this.stmts.end.run(this.now(), id);
    this.liveCache.delete(session.classId);
    return this.get(id)!;
  }

  /** Drops cached state of a deleted class. */
  forget(classId: string): void {
    this.liveCache.delete(classId);
  }

  require(id: string): SessionInfo {
    const session = this.get(id);
    if (!session) throw new AppError('not_found', `no session ${id}`);
    return session;
  }
}
