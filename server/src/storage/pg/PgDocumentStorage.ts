// DocumentStorage on PostgreSQL: snapshots and the `updates` table, appends group-committed (GroupCommit.ts)
// and acknowledged once their commit lands. Also the client-id bindings (ClientIdStorage): read with the
// document when it loads, written in the same commit as the update they were made for; and the update log as
// the update checks read it (UpdateLogReader), answered from what the last load read where it must be
// synchronous. The edit spans of attribution (EditSpanStorage) are derived at append and go in the same commit.
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import { EditSpans } from '../EditSpans.ts';
import { classOfDocument, KEEP_FOR_RECORDINGS_PG } from '../recordingHistory.ts';
import type { ClientIdBinding, ClientIdStorage } from '../types/clientIds.ts';
import type {
  Appended,
  DocumentStorage,
  HistoryEntry,
  LoadedDocument,
  UpdateLogReader,
} from '../types/documents.ts';
import type { EditSpan, EditSpanStorage } from '../types/editSpans.ts';
import { FencedError, type FenceOf } from './ClassFences.ts';
import { GROUP_COMMIT_DELAY_MS, GroupCommit } from './GroupCommit.ts';
import { first, type PgPool, rows, transaction } from './pool.ts';

export interface PgDocumentStorageOptions {
  /** Log entries older than this (and covered by a snapshot) are deleted; 0 keeps them forever. */
  historyRetentionDays: number;
  /** How long the first update of a batch waits for others before the batch is committed. */
  groupCommitDelayMs?: number;
  log?: Logger;
  now?: () => number;
}

/** Log entries read at a time when the log is scanned (loggedUpdates). */
const LOG_PAGE_ROWS = 256;

export class PgDocumentStorage implements DocumentStorage, ClientIdStorage, UpdateLogReader, EditSpanStorage {
  private readonly now: () => number;
  private readonly spanIndex = new EditSpans();
  private readonly commits: GroupCommit;
  private readonly lastSeq = new Map<string, number>();
  /** Bytes the last load of each loaded document read, plus those appended since (UpdateLogReader). */
  private readonly bytes = new Map<string, number>();
  /** The client-id bindings the last load of each document read, until taken. */
  private readonly loadedBindings = new Map<string, Map<number, string | null>>();
  private closed = false;
  /** Cluster only: the lease each document's writes are made under (ClassFences.ts). */
  private fenceOf: FenceOf | undefined;

  constructor(
    private readonly pool: PgPool,
    private readonly options: PgDocumentStorageOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.commits = new GroupCommit(pool, options.groupCommitDelayMs ?? GROUP_COMMIT_DELAY_MS, options.log);
  }

  async load(name: string): Promise<LoadedDocument> {
    await this.flush();
    await this.pool.query('INSERT INTO documents (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      name,
      this.now(),
    ]);
    const doc = await first<{ snapshot: Buffer | null; snapshot_seq: number }>(
      this.pool,
      'SELECT snapshot, snapshot_seq FROM documents WHERE name = $1',
      [name],
    );
    const base = doc?.snapshot_seq ?? 0;
    const logged = await rows<{ seq: number; data: Buffer }>(
      this.pool,
      'SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq',
      [name, base],
    );
    const parts: Uint8Array[] = [];
    if (doc?.snapshot) parts.push(doc.snapshot);
    for (const r of logged) parts.push(r.data);
    const seq = logged.at(-1)?.seq ?? (await this.maxSeq(name, base));
    const bound = await rows<{ client: number; userId: string | null }>(
      this.pool,
      'SELECT client, user_id AS "userId" FROM client_ids WHERE doc = $1',
      [name],
    );
    this.loadedBindings.set(name, new Map(bound.map((b) => [b.client, b.userId])));
    this.lastSeq.set(name, seq);
    const bytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
    this.bytes.set(name, bytes);
    const state = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    return { state, seq, pendingLogEntries: logged.length };
  }

  /**
   * Cluster only: fences every later append and snapshot with the lease `fenceOf` names; `onFenced` hears of
   * documents whose rows the database refused (a newer lease exists), before their commit counts as durable.
   */
  useFences(fenceOf: FenceOf, onFenced: (documents: string[]) => void): void {
    this.fenceOf = fenceOf;
    this.commits.onFenced = onFenced;
  }

  append(name: string, update: Uint8Array, userId: string | null): Appended {
    const last = this.lastSeq.get(name);
    if (last === undefined) throw new Error(`append to ${name} before load`);
    if (this.closed) throw new Error('document storage is closed');
    const seq = last + 1;
    this.lastSeq.set(name, seq);
    this.bytes.set(name, (this.bytes.get(name) ?? 0) + update.byteLength);
    const entry = { doc: name, seq, ts: this.now(), userId, data: update, fence: this.fenceOf?.(name) };
    const durable = this.commits.add(entry, this.spanIndex.record(entry));
    return { seq, ts: entry.ts, durable };
  }

  loadedClientIds(name: string): Map<number, string | null> {
    const bindings = this.loadedBindings.get(name);
    if (!bindings) throw new Error(`client ids of ${name} read before load, or taken already`);
    this.loadedBindings.delete(name);
    return bindings;
  }

  bind(name: string, bindings: readonly ClientIdBinding[]): void {
    if (this.closed) throw new Error('document storage is closed');
    if (bindings.length > 0) this.commits.bind(name, bindings, this.now());
  }

  async currentSeq(name: string): Promise<number> {
    const known = this.lastSeq.get(name);
    if (known !== undefined) return known;
    await this.flush();
    const doc = await first<{ s: number }>(
      this.pool,
      'SELECT snapshot_seq AS s FROM documents WHERE name = $1',
      [name],
    );
    return this.maxSeq(name, doc?.s ?? 0);
  }

  async saveSnapshot(name: string, state: Uint8Array, seq: number): Promise<void> {
    // The snapshot may only cover updates the table holds.
    await this.flush();
    const ts = this.now();
    const fence = this.fenceOf?.(name);
    await transaction(this.pool, async (client) => {
      if (fence) {
        const held = await client.query<{ token: string }>(
          'SELECT token FROM class_fences WHERE class_id = $1 FOR SHARE',
          [fence.classId],
        );
        const token = held.rows[0] === undefined ? 0 : Number(held.rows[0].token);
        if (token > fence.token) {
          throw new FencedError(
            `snapshot of ${name} refused: class ${fence.classId} has a newer lease (${token})`,
          );
        }
      }
      await client.query('INSERT INTO documents (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        name,
        ts,
      ]);
      await client.query(
        `UPDATE documents SET snapshot = $1, snapshot_seq = $2, snapshot_at = $3
         WHERE name = $4 AND snapshot_seq <= $2`,
        [state, seq, ts, name],
      );
      if (this.options.historyRetentionDays > 0) {
        const cutoff = ts - this.options.historyRetentionDays * 86_400_000;
        // Entries are logged in time order, so those past retention are a prefix (as in DocumentStore.ts).
        // A class's keystroke history is kept from the start of its oldest recording still kept.
        await client.query(
          `DELETE FROM updates WHERE doc = $1 AND seq <= $2 AND seq < COALESCE(
             (SELECT seq FROM updates WHERE doc = $1 AND ts >= ${KEEP_FOR_RECORDINGS_PG} ORDER BY seq LIMIT 1),
             $2 + 1)`,
          [name, seq, cutoff, classOfDocument(name)],
        );
        // Checkpoints go with the log they cover (as in DocumentStore.ts).
        await client.query(
          `DELETE FROM doc_checkpoints WHERE doc = $1
           AND seq < COALESCE((SELECT MIN(seq) FROM updates WHERE doc = $1), $2::bigint + 1) - 1`,
          [name, seq],
        );
      }
    });
  }

  async history(name: string, afterSeq = 0, limit = 500): Promise<HistoryEntry[]> {
    await this.flush();
    return rows(
      this.pool,
      `SELECT seq, ts, user_id AS "userId", length(data) AS bytes FROM updates
       WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [name, afterSeq, limit],
    );
  }

  async oldestLoggedSeq(name: string): Promise<number | null> {
    await this.flush();
    const row = await first<{ seq: number | null }>(
      this.pool,
      'SELECT MIN(seq) AS seq FROM updates WHERE doc = $1',
      [name],
    );
    return row?.seq ?? null;
  }

  async stateAt(name: string, seq: number): Promise<Uint8Array | null> {
    const oldest = await this.oldestLoggedSeq(name);
    if (oldest === null || oldest > 1) return null;
    const logged = await rows<{ data: Buffer }>(
      this.pool,
      'SELECT data FROM updates WHERE doc = $1 AND seq <= $2 ORDER BY seq',
      [name, seq],
    );
    return logged.length ? Y.mergeUpdates(logged.map((r) => r.data)) : new Uint8Array([0, 0]);
  }

  flush(): Promise<void> {
    return this.commits.flush();
  }

  forget(name: string): void {
    this.lastSeq.delete(name);
    this.bytes.delete(name);
    this.loadedBindings.delete(name);
    this.spanIndex.forget(name);
  }

  /** The newest `limit` spans (over the limit the oldest lose attribution, not the lines written last), oldest first. */
  async spans(doc: string, limit: number): Promise<EditSpan[]> {
    await this.flush();
    const newest = await rows<EditSpan>(
      this.pool,
      `SELECT client, clock_from AS "clockFrom", clock_to AS "clockTo", first_ts AS "firstTs",
         last_ts AS "lastTs", user_id AS "userId", edits, max_insert AS "maxInsert"
       FROM edit_spans WHERE doc = $1 ORDER BY first_ts DESC, client DESC, clock_from DESC LIMIT $2`,
      [doc, limit],
    );
    return newest.reverse();
  }

  async owners(doc: string): Promise<Map<number, string | null>> {
    await this.flush();
    const bound = await rows<{ client: number; userId: string | null }>(
      this.pool,
      'SELECT client, user_id AS "userId" FROM client_ids WHERE doc = $1',
      [doc],
    );
    return new Map(bound.map((b) => [b.client, b.userId]));
  }

  async lastEditAt(doc: string): Promise<number | null> {
    await this.flush();
    const [row] = await rows<{ at: string | number | null }>(
      this.pool,
      'SELECT max(last_ts) AS at FROM edit_spans WHERE doc = $1',
      [doc],
    );
    return row?.at == null ? null : Number(row.at);
  }

  async ownerLastEdits(prefix: string): Promise<Map<string, number>> {
    await this.flush();
    const found = await rows<{ userId: string; lastTs: number | string }>(
      this.pool,
      `SELECT substr(doc, $3::int) AS "userId", max(last_ts) AS "lastTs" FROM edit_spans
       WHERE doc COLLATE "C" >= $1 AND doc COLLATE "C" < $2 AND user_id = substr(doc, $3::int) GROUP BY doc`,
      [prefix, `${prefix}\uffff`, prefix.length + 1],
    );
    return new Map(found.map((r) => [r.userId, Number(r.lastTs)]));
  }

  async documentNames(prefix: string, limit: number): Promise<string[]> {
    await this.flush();
    const found = await rows<{ name: string }>(
      this.pool,
      // Byte order (COLLATE "C") so the range is exactly the names starting with the prefix.
      'SELECT name FROM documents WHERE name COLLATE "C" >= $1 AND name COLLATE "C" < $2 ORDER BY name COLLATE "C" LIMIT $3',
      [prefix, `${prefix}\uffff`, limit],
    );
    return found.map((r) => r.name);
  }

  /**
   * What the last load of the document read (snapshot and log after it) plus every append since: read by the
   * update checks right after a load, when it is exact; later snapshots make it an over-estimate, which only
   * makes the size check measure the document sooner.
   */
  storedBytes(name: string): number {
    return this.bytes.get(name) ?? 0;
  }

  async *loggedUpdates(name: string): AsyncGenerator<{ userId: string | null; data: Uint8Array }> {
    await this.flush();
    for (let after = 0; ; ) {
      const page = await rows<{ seq: number; userId: string | null; data: Buffer }>(
        this.pool,
        'SELECT seq, user_id AS "userId", data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [name, after, LOG_PAGE_ROWS],
      );
      for (const { userId, data } of page) yield { userId, data };
      if (page.length < LOG_PAGE_ROWS) return;
      after = page.at(-1)!.seq;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private async maxSeq(name: string, fallback: number): Promise<number> {
    const row = await first<{ seq: number | null }>(
      this.pool,
      'SELECT MAX(seq) AS seq FROM updates WHERE doc = $1',
      [name],
    );
    return Math.max(row?.seq ?? 0, fallback);
  }
}
