// Group commit of the update log on PostgreSQL: appends (and the client-id bindings made for them) collect for
// GROUP_COMMIT_DELAY_MS, or until a batch is full, then go in as one statement (one commit), and every append
// of that batch becomes durable together. While a commit is in flight the next batch collects, and is
// committed the moment the previous one returns: under load a commit is always in flight and each carries
// everything that arrived meanwhile; when idle an update waits at most the delay plus one commit.
//
// A batch with bindings writes them in the same statement as its updates (a data-modifying WITH), so an update
// is never durable without the bindings made for it, which reached the batch before it. A failed commit is
// retried (with back-off) until it succeeds: its appends stay unacknowledged, never lost. The statement skips
// rows already present, so a retry after a commit whose reply was lost is harmless. The edit spans derived from
// the batch's updates (EditSpans.ts) are upserted in the same statement too, their values only ever growing.
import type { Logger } from '../../logger.ts';
import type { ClientIdBinding } from '../types/clientIds.ts';
import type { DocEditSpan } from '../types/editSpans.ts';
import type { WriteFence } from './ClassFences.ts';
import type { PgPool } from './pool.ts';

export const GROUP_COMMIT_DELAY_MS = 2;
/** A batch is committed at once, whatever the delay, when it holds this many entries or bytes. */
const BATCH_MAX_ENTRIES = 2000;
const BATCH_MAX_BYTES = 4 * 1024 * 1024;
const RETRY_MIN_MS = 20;
const RETRY_MAX_MS = 2000;

export interface LogEntry {
  doc: string;
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
  /** Cluster only: the lease this entry is written under; refused when the class's fence is greater. */
  fence?: WriteFence | undefined;
}

interface BindingRow {
  doc: string;
  client: number;
  userId: string | null;
  at: number;
}

const INSERT_UPDATES = `INSERT INTO updates (doc, seq, ts, user_id, data)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[])
  ON CONFLICT (doc, seq) DO NOTHING`;

/** The batch's bindings (parameters from $n): a new row, or a claim of a row nobody owns yet. */
const insertBindings = (n: number) => `bound AS (
    INSERT INTO client_ids (doc, client, user_id, bound_at)
    SELECT * FROM unnest($${n}::text[], $${n + 1}::bigint[], $${n + 2}::text[], $${n + 3}::bigint[])
    ON CONFLICT (doc, client) DO UPDATE SET user_id = excluded.user_id, bound_at = excluded.bound_at
    WHERE client_ids.user_id IS NULL
  )`;

/** The batch's edit spans (parameters from $n); a row written again only grows. */
const upsertSpans = (n: number) => `spans AS (
    INSERT INTO edit_spans (doc, client, clock_from, clock_to, first_ts, last_ts, user_id, edits, max_insert)
    SELECT * FROM unnest($${n}::text[], $${n + 1}::bigint[], $${n + 2}::bigint[], $${n + 3}::bigint[],
      $${n + 4}::bigint[], $${n + 5}::bigint[], $${n + 6}::text[], $${n + 7}::int[], $${n + 8}::int[])
    ON CONFLICT (doc, client, clock_from) DO UPDATE SET
      clock_to = GREATEST(edit_spans.clock_to, excluded.clock_to),
      first_ts = LEAST(edit_spans.first_ts, excluded.first_ts),
      last_ts = GREATEST(edit_spans.last_ts, excluded.last_ts),
      edits = GREATEST(edit_spans.edits, excluded.edits),
      max_insert = GREATEST(edit_spans.max_insert, excluded.max_insert)
  )`;

/**
 * The fenced form (parameters $1-$5 the entries, $f and $f+1 their fences): rows whose class's fence is greater
 * than their token are left out, and the statement returns their documents. The fence rows are locked FOR SHARE,
 * so a raise waits for this commit and a commit after a raise sees it.
 */
const fencedInput = (f: number) => `fences AS (
    SELECT class_id, token FROM class_fences WHERE class_id = ANY($${f}::text[]) FOR SHARE
  ),
  input AS (
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[], $${f}::text[],
      $${f + 1}::bigint[]) AS u(doc, seq, ts, user_id, data, fence_class, fence_token)
  ),
  allowed AS (
    SELECT * FROM input u WHERE u.fence_class IS NULL OR NOT EXISTS (
      SELECT 1 FROM fences f WHERE f.class_id = u.fence_class AND f.token > u.fence_token)
  )`;
const FENCED_INSERT = `inserted AS (
    INSERT INTO updates (doc, seq, ts, user_id, data) SELECT doc, seq, ts, user_id, data FROM allowed
    ON CONFLICT (doc, seq) DO NOTHING
  )
  SELECT DISTINCT u.doc FROM input u WHERE NOT EXISTS (SELECT 1 FROM allowed a WHERE a.doc = u.doc AND a.seq = u.seq)`;

class Batch {
  readonly entries: LogEntry[] = [];
  /**
   * Per document and client id, the latest binding: one statement may not touch a row twice, and a later
   * binding of the same id (a claim of one bound to nobody) is the one that counts.
   */
  readonly bindings = new Map<string, BindingRow>();
  /** Per span key, its latest value (one statement may not touch a row twice). */
  readonly spans = new Map<string, DocEditSpan>();
  bytes = 0;
  readonly durable: Promise<void>;
  resolve!: () => void;

  constructor() {
    // Never rejected: a failed commit is retried until it succeeds.
    this.durable = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }

  get empty(): boolean {
    return this.entries.length === 0 && this.bindings.size === 0;
  }
}

export class GroupCommit {
  private open = new Batch();
  /** The batch being committed, if any. */
  private committing: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  /**
   * Cluster only: told (before the batch counts as durable) which documents had rows refused by their class's
   * fence; their connections must close unacknowledged.
   */
  onFenced: ((documents: string[]) => void) | undefined;

  constructor(
    private readonly pool: PgPool,
    private readonly delayMs: number,
    private readonly log: Logger | undefined,
  ) {}

  /** Adds an entry (and the spans it changed) to the open batch; resolves once that batch is committed. */
  add(entry: LogEntry, spans: readonly DocEditSpan[] = []): Promise<void> {
    const batch = this.open;
    batch.entries.push(entry);
    for (const span of spans) batch.spans.set(`${span.client}:${span.clockFrom}:${span.doc}`, span);
    batch.bytes += entry.data.length;
    this.schedule(batch.entries.length >= BATCH_MAX_ENTRIES || batch.bytes >= BATCH_MAX_BYTES);
    return batch.durable;
  }

  /** Adds bindings to the open batch: committed with it, before or with any entry added after them. */
  bind(doc: string, bindings: readonly ClientIdBinding[], at: number): void {
    const batch = this.open;
    for (const [client, userId] of bindings)
      batch.bindings.set(`${client}:${doc}`, { doc, client, userId, at });
    this.schedule(false);
  }

  /** Waits until everything added so far is committed. */
  async flush(): Promise<void> {
    const last = this.open.empty ? this.committing : this.open;
    if (!last) return;
    if (last === this.open && !this.committing) this.commitOpen();
    await last.durable;
  }

  private schedule(full: boolean): void {
    if (this.committing) return;
    if (full) this.commitOpen();
    else this.timer ??= setTimeout(() => this.commitOpen(), this.delayMs);
  }

  /** Starts committing the open batch; the next appends collect in a new one. */
  private commitOpen(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.open;
    if (batch.empty || this.committing) return;
    this.open = new Batch();
    this.committing = batch;
    void this.commit(batch).then(() => {
      this.committing = null;
      // Whatever arrived during the commit is the next group.
      if (!this.open.empty) this.commitOpen();
    });
  }

  /** Commits one batch, retrying until it succeeds; resolves the batch's `durable`. */
  private async commit(batch: Batch): Promise<void> {
    const { entries } = batch;
    const values: unknown[] = [
      entries.map((e) => e.doc),
      entries.map((e) => e.seq),
      entries.map((e) => e.ts),
      entries.map((e) => e.userId),
      entries.map((e) => e.data),
    ];
    if (batch.bindings.size > 0) {
      const rows = [...batch.bindings.values()];
      values.push(
        rows.map((b) => b.doc),
        rows.map((b) => b.client),
        rows.map((b) => b.userId),
        rows.map((b) => b.at),
      );
    }
    const ctes: string[] = [];
    if (batch.bindings.size > 0) ctes.push(insertBindings(6));
    if (batch.spans.size > 0) {
      const spans = [...batch.spans.values()];
      ctes.push(upsertSpans(values.length + 1));
      values.push(
        spans.map((s) => s.doc),
        spans.map((s) => s.client),
        spans.map((s) => s.clockFrom),
        spans.map((s) => s.clockTo),
        spans.map((s) => s.firstTs),
        spans.map((s) => s.lastTs),
        spans.map((s) => s.userId),
        spans.map((s) => s.edits),
        spans.map((s) => s.maxInsert),
      );
    }
    const fenced = entries.some((e) => e.fence);
    if (fenced) {
      ctes.unshift(fencedInput(values.length + 1));
      values.push(
        entries.map((e) => e.fence?.classId ?? null),
        entries.map((e) => e.fence?.token ?? null),
      );
    }
    const text = fenced
      ? `WITH ${ctes.join(',\n  ')},\n  ${FENCED_INSERT}`
      : ctes.length > 0
        ? `WITH ${ctes.join(',\n  ')}\n  ${INSERT_UPDATES}`
        : INSERT_UPDATES;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.pool.query<{ doc: string }>(text, values);
        if (fenced && result.rows.length > 0) {
          const documents = result.rows.map((r) => r.doc);
          this.log?.warn({ documents }, 'update log rows refused by a newer lease of their class (fenced)');
          this.onFenced?.(documents);
        }
        batch.resolve();
        return;
      } catch (error) {
        const retryMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
        this.log?.error(
          { err: error, entries: entries.length, bindings: batch.bindings.size, retryMs },
          'update log commit failed; will retry',
        );
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  }
}
