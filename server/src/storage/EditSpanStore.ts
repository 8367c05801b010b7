// Edit spans on SQLite (the `edit_spans` table, types/editSpans.ts): DocumentStore hands every update it folds
// to record() and calls write() before the fold's transaction commits, so a span is written with the updates it
// indexes; reads for blame, activity and export. Nothing here deletes: spans and client-id bindings outlive log pruning.
import type { Db } from './db.ts';
import { EditSpans, type LoggedEdit } from './EditSpans.ts';
import type { DocEditSpan, EditSpan } from './types/editSpans.ts';

export class EditSpanStore {
  private readonly stmts;
  private readonly tracker = new EditSpans();
  /**
   * The span rows recorded since the last write(), the latest state of each (doc, client, clockFrom): a client
   * typing on extends one span per update, and a fold of hundreds of its updates writes that row once.
   */
  private readonly unwritten = new Map<string, DocEditSpan>();

  constructor(db: Db) {
    const { sql } = db;
    this.stmts = {
      // Values only grow: a row written again (a resent range) never loses what it held.
      upsert: sql.prepare(
        `INSERT INTO edit_spans (doc, client, clock_from, clock_to, first_ts, last_ts, user_id, edits, max_insert)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (doc, client, clock_from) DO UPDATE SET clock_to = max(clock_to, excluded.clock_to),
           first_ts = min(first_ts, excluded.first_ts), last_ts = max(last_ts, excluded.last_ts),
           edits = max(edits, excluded.edits), max_insert = max(max_insert, excluded.max_insert)`,
      ),
      spans: sql.prepare(
        `SELECT client, clock_from AS clockFrom, clock_to AS clockTo, first_ts AS firstTs, last_ts AS lastTs,
           user_id AS userId, edits, max_insert AS maxInsert
         FROM edit_spans WHERE doc = ? ORDER BY first_ts DESC, client DESC, clock_from DESC LIMIT ?`,
      ),
      owners: sql.prepare('SELECT client, user_id AS userId FROM client_ids WHERE doc = ?'),
      lastEdit: sql.prepare('SELECT max(last_ts) AS at FROM edit_spans WHERE doc = ?'),
      // The primary key's range on `doc`; substr() is 1-based, so the owner's id starts at prefix length + 1.
      ownerLastEdits: sql.prepare(
        `SELECT substr(doc, ?) AS userId, max(last_ts) AS lastTs FROM edit_spans
         WHERE doc >= ? AND doc < ? AND user_id = substr(doc, ?) GROUP BY doc`,
      ),
      names: sql.prepare('SELECT name FROM documents WHERE name >= ? AND name < ? ORDER BY name LIMIT ?'),
    };
  }

  /** Indexes one update; call write() before the transaction that writes the update commits. */
  record(edit: LoggedEdit): void {
    for (const s of this.tracker.record(edit)) this.unwritten.set(`${s.doc}\n${s.client}\n${s.clockFrom}`, s);
  }

  /** Writes the span rows recorded since the last write (inside the transaction of their updates). */
  write(): void {
    for (const s of this.unwritten.values()) {
      this.stmts.upsert.run(
        s.doc,
        s.client,
        s.clockFrom,
        s.clockTo,
        s.firstTs,
        s.lastTs,
        s.userId,
        s.edits,
        s.maxInsert,
      );
    }
    this.unwritten.clear();
  }

  forget(doc: string): void {
    this.tracker.forget(doc);
  }

  /** Forgets every open span and unwritten row (after a rolled-back transaction): later edits start new spans. */
  reset(): void {
    this.tracker.reset();
    this.unwritten.clear();
  }

  /** The newest `limit` spans (over the limit the oldest lose attribution, not the lines written last), oldest first. */
  spans(doc: string, limit: number): EditSpan[] {
    return (this.stmts.spans.all(doc, limit) as EditSpan[]).reverse();
  }

  owners(doc: string): Map<number, string | null> {
    const rows = this.stmts.owners.all(doc) as { client: number; userId: string | null }[];
    return new Map(rows.map((r) => [r.client, r.userId]));
  }

  lastEditAt(doc: string): number | null {
    return (this.stmts.lastEdit.get(doc) as { at: number | null }).at;
  }

  ownerLastEdits(prefix: string): Map<string, number> {
    const from = prefix.length + 1;
    const rows = this.stmts.ownerLastEdits.all(from, prefix, `${prefix}\uffff`, from) as {
      userId: string;
      lastTs: number;
    }[];
    return new Map(rows.map((r) => [r.userId, r.lastTs]));
  }

  documentNames(prefix: string, limit: number): string[] {
    const rows = this.stmts.names.all(prefix, `${prefix}\uffff`, limit) as { name: string }[];
    return rows.map((r) => r.name);
  }
}
