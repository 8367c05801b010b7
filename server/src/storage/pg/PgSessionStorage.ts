// SessionStorage on PostgreSQL: scheduled -> live -> ended, at most one live session per class (a unique
// index; a start that loses a race to it is refused like one that finds a live session).
import crypto from 'node:crypto';
import type { SessionInfo } from '@tandem/shared';
import { AppError } from '../../errors.ts';
import { type SessionRow, toSession } from '../types/rowMapping.ts';
import type { NewSession, SessionStorage } from '../types/sessions.ts';
import { changes, first, type PgPool, rows } from './pool.ts';

const UNIQUE_VIOLATION = '23505';

export class PgSessionStorage implements SessionStorage {
  /** The live session per class, asked for on every connection and chat message. */
  private readonly liveCache = new Map<string, SessionInfo | null>();
  /** Bumped on every start and end of a class: a read begun before one is not cached after it. */
  private readonly liveVersion = new Map<string, number>();

  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async get(id: string): Promise<SessionInfo | null> {
    const row = await first<SessionRow>(this.pool, 'SELECT * FROM sessions WHERE id = $1', [id]);
    return row ? toSession(row) : null;
  }

  async list(classId: string, limit = 200): Promise<SessionInfo[]> {
    const all = await rows<SessionRow>(
      this.pool,
      'SELECT * FROM sessions WHERE class_id = $1 ORDER BY created_at DESC LIMIT $2',
      [classId, limit],
    );
    return all.map(toSession);
  }

  async live(classId: string): Promise<SessionInfo | null> {
    if (this.liveCache.has(classId)) return this.liveCache.get(classId)!;
    const version = this.liveVersion.get(classId) ?? 0;
    const row = await first<SessionRow>(
      this.pool,
      "SELECT * FROM sessions WHERE class_id = $1 AND state = 'live'",
      [classId],
    );
    const session = row ? toSession(row) : null;
    if ((this.liveVersion.get(classId) ?? 0) === version) this.liveCache.set(classId, session);
    return session;
  }

  async create(input: NewSession): Promise<SessionInfo> {
    const id = crypto.randomUUID();
    const row = await first<SessionRow>(
      this.pool,
      `INSERT INTO sessions (id, class_id, title, state, scheduled_start, scheduled_end, max_participants, created_at)
       VALUES ($1, $2, $3, 'scheduled', $4, $5, $6, $7) RETURNING *`,
      [
        id,
        input.classId,
        input.title,
        input.scheduledStart,
        input.scheduledEnd,
        input.maxParticipants,
        this.now(),
      ],
    );
    return toSession(row!);
  }

  async start(id: string): Promise<SessionInfo> {
    const session = await this.require(id);
    if (session.state !== 'scheduled') throw new AppError('conflict', `session is already ${session.state}`);
    const live = await this.live(session.classId);
    if (live) throw new AppError('conflict', `session ${live.id} of this class is live; end it first`);
    try {
      await changes(
        this.pool,
        "UPDATE sessions SET state = 'live', started_at = $1 WHERE id = $2 AND state = 'scheduled'",
        [this.now(), id],
      );
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      throw new AppError('conflict', 'another session of this class is live; end it first');
    } finally {
      this.invalidateLive(session.classId);
    }
    return (await this.get(id))!;
  }

  async end(id: string): Promise<SessionInfo> {
    const session = await this.require(id);
    if (session.state !== 'live') throw new AppError('conflict', `session is ${session.state}, not live`);
    await this.pool.query(
      "UPDATE sessions SET state = 'ended', ended_at = $1 WHERE id = $2 AND state = 'live'",
      [this.now(), id],
    );
    this.invalidateLive(session.classId);
    return (await this.get(id))!;
  }

  forget(classId: string): void {
    this.invalidateLive(classId);
  }

  private invalidateLive(classId: string): void {
    this.liveCache.delete(classId);
    this.liveVersion.set(classId, (this.liveVersion.get(classId) ?? 0) + 1);
  }

  async require(id: string): Promise<SessionInfo> {
    const session = await this.get(id);
    if (!session) throw new AppError('not_found', `no session ${id}`);
    return session;
  }
}
