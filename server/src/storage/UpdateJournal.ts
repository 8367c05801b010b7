// The update journal: an append-only file that makes each accepted update durable with one write() before it is
// acknowledged. DocumentStore folds the journal into SQLite's `updates` table in batches and then empties it;
// on start, whatever the file still holds (a crash between write and fold) is read back and folded. The
// client-id bindings made for an update travel in its record, so they are durable in the same write.
//
// Record: u32 payload length | u32 CRC-32 of payload | payload
// Payload: u8 version | f64 seq | f64 ts | u16 doc length | doc (UTF-8) | u16 user length (0xffff = none) |
//          user (UTF-8) | [version 2 only: u16 binding count | per binding: f64 client id | u16 owner length
//          (0xffff = none) | owner (UTF-8)] | update bytes
// Version 1 (no bindings) is what almost every record is; version 2 only when the update brings bindings.
// A process killed mid-write() leaves at most one torn record at the end; the CRC finds it and it is cut off
// (that update was never acknowledged). Survives `kill -9` like SQLite's WAL with synchronous=NORMAL: the data
// is in the kernel once write() returns; neither is power-loss durable for its last writes.
import fs from 'node:fs';
import { crc32 } from 'node:zlib';
import type { ClientIdBinding } from './types/clientIds.ts';

export interface JournalEntry {
  doc: string;
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
  /** Client-id bindings made for this update (written with it, in the same record). */
  bindings?: readonly ClientIdBinding[];
}

export interface JournalContents {
  entries: JournalEntry[];
  /** Bytes after the last intact record (a torn write), cut off when the journal was opened. */
  discardedBytes: number;
}

const VERSION = 1;
const VERSION_WITH_BINDINGS = 2;
const HEADER = 8;
/** Fixed payload bytes: version, seq, ts and the two name lengths. */
const FIXED = 1 + 8 + 8 + 2 + 2;
/** Fixed bytes of the bindings part: the count, then per binding its client id and owner length. */
const BINDINGS_FIXED = 2;
const BINDING_FIXED = 8 + 2;
const MAX_BINDINGS = 0xffff;
const NO_USER = 0xffff;
const MAX_NAME_BYTES = 0xfffe;
/** Records up to this size are built in one reused buffer; larger ones get their own. */
const SCRATCH_BYTES = 64 * 1024;
const NAME_CACHE_LIMIT = 4096;

export class UpdateJournal {
  private size: number;
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_BYTES);

  private constructor(
    private readonly fd: number,
    size: number,
  ) {
    this.size = size;
  }

  /** Opens (creating if needed) the journal at `file`, returning what it holds and cutting off a torn tail. */
  static open(file: string): { journal: UpdateJournal; contents: JournalContents } {
    const fd = fs.openSync(file, 'a+');
    try {
      const contents = decode(fs.readFileSync(fd));
      const intact = fs.fstatSync(fd).size - contents.discardedBytes;
      if (contents.discardedBytes > 0) fs.ftruncateSync(fd, intact);
      return { journal: new UpdateJournal(fd, intact), contents };
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  /** Bytes in the journal not yet folded. */
  get bytes(): number {
    return this.size;
  }

  /** Appends one entry with a single write(); on failure the file is cut back so no partial record remains. */
  append(entry: JournalEntry): void {
    const length = recordLength(entry);
    const record = length <= SCRATCH_BYTES ? this.scratch : Buffer.allocUnsafe(length);
    encodeInto(entry, record);
    let written = 0;
    try {
      while (written < length) written += fs.writeSync(this.fd, record, written, length - written);
    } catch (error) {
      if (written > 0) fs.ftruncateSync(this.fd, this.size);
      throw error;
    }
    this.size += length;
  }

  /** Empties the journal: call only once every entry in it is committed elsewhere. */
  clear(): void {
    fs.ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** UTF-8 bytes of document names and user ids, which repeat on every update. */
const nameBytes = new Map<string, Buffer>();
function utf8(name: string): Buffer {
  let bytes = nameBytes.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(name, 'utf8');
    if (bytes.length > MAX_NAME_BYTES) throw new RangeError('journal: name too long');
    if (nameBytes.size >= NAME_CACHE_LIMIT) nameBytes.clear();
    nameBytes.set(name, bytes);
  }
  return bytes;
}

function recordLength(entry: JournalEntry): number {
  const user = entry.userId === null ? 0 : utf8(entry.userId).length;
  return HEADER + FIXED + utf8(entry.doc).length + user + bindingsLength(entry.bindings) + entry.data.length;
}

function bindingsLength(bindings: readonly ClientIdBinding[] | undefined): number {
  if (!bindings?.length) return 0;
  if (bindings.length > MAX_BINDINGS) throw new RangeError('journal: too many bindings in one record');
  let bytes = BINDINGS_FIXED;
  for (const [, owner] of bindings) bytes += BINDING_FIXED + (owner === null ? 0 : utf8(owner).length);
  return bytes;
}

/** Writes the record for `entry` at the start of `out` (which must hold recordLength(entry) bytes). */
function encodeInto(entry: JournalEntry, out: Buffer): void {
  const doc = utf8(entry.doc);
  const user = entry.userId === null ? null : utf8(entry.userId);
  const bindings = entry.bindings?.length ? entry.bindings : null;
  const payload =
    FIXED + doc.length + (user?.length ?? 0) + bindingsLength(entry.bindings) + entry.data.length;
  let at = HEADER;
  out[at++] = bindings ? VERSION_WITH_BINDINGS : VERSION;
  out.writeDoubleLE(entry.seq, at);
  out.writeDoubleLE(entry.ts, at + 8);
  out.writeUInt16LE(doc.length, at + 16);
  at += 18;
  out.set(doc, at);
  at += doc.length;
  out.writeUInt16LE(user === null ? NO_USER : user.length, at);
  at += 2;
  if (user !== null) {
    out.set(user, at);
    at += user.length;
  }
  if (bindings) at = encodeBindings(bindings, out, at);
  out.set(entry.data, at);
  out.writeUInt32LE(payload, 0);
  out.writeUInt32LE(crc32(out.subarray(HEADER, HEADER + payload)), 4);
}

function encodeBindings(bindings: readonly ClientIdBinding[], out: Buffer, start: number): number {
  let at = out.writeUInt16LE(bindings.length, start);
  for (const [client, owner] of bindings) {
    at = out.writeDoubleLE(client, at);
    const bytes = owner === null ? null : utf8(owner);
    at = out.writeUInt16LE(bytes === null ? NO_USER : bytes.length, at);
    if (bytes !== null) {
      out.set(bytes, at);
      at += bytes.length;
    }
  }
  return at;
}

/** One entry's record, as append() writes it. */
export function encode(entry: JournalEntry): Buffer {
  const out = Buffer.allocUnsafe(recordLength(entry));
  encodeInto(entry, out);
  return out;
}

export function decode(buf: Buffer): JournalContents {
  const entries: JournalEntry[] = [];
  let at = 0;
  while (at + HEADER <= buf.length) {
    const length = buf.readUInt32LE(at);
    const end = at + HEADER + length;
    if (end > buf.length) break;
    const payload = buf.subarray(at + HEADER, end);
    if (crc32(payload) !== buf.readUInt32LE(at + 4)) break;
    const entry = decodePayload(payload);
    if (!entry) break;
    entries.push(entry);
    at = end;
  }
  return { entries, discardedBytes: buf.length - at };
}

function decodePayload(p: Buffer): JournalEntry | null {
  const version = p.length < FIXED ? 0 : p.readUInt8(0);
  if (version !== VERSION && version !== VERSION_WITH_BINDINGS) return null;
  const seq = p.readDoubleLE(1);
  const ts = p.readDoubleLE(9);
  const docLength = p.readUInt16LE(17);
  let at = 19;
  if (at + docLength + 2 > p.length) return null;
  const doc = p.toString('utf8', at, at + docLength);
  at += docLength;
  const userLength = p.readUInt16LE(at);
  at += 2;
  let userId: string | null = null;
  if (userLength !== NO_USER) {
    if (at + userLength > p.length) return null;
    userId = p.toString('utf8', at, at + userLength);
    at += userLength;
  }
  let bindings: ClientIdBinding[] | undefined;
  if (version === VERSION_WITH_BINDINGS) {
    const read = decodeBindings(p, at);
    if (!read) return null;
    ({ bindings, at } = read);
  }
  // A copy: the entry outlives the buffer it was read from.
  const entry: JournalEntry = { doc, seq, ts, userId, data: new Uint8Array(p.subarray(at)) };
  if (bindings) entry.bindings = bindings;
  return entry;
}

function decodeBindings(p: Buffer, start: number): { bindings: ClientIdBinding[]; at: number } | null {
  if (start + BINDINGS_FIXED > p.length) return null;
  const count = p.readUInt16LE(start);
  let at = start + BINDINGS_FIXED;
  const bindings: ClientIdBinding[] = [];
  for (let i = 0; i < count; i++) {
    if (at + BINDING_FIXED > p.length) return null;
    const client = p.readDoubleLE(at);
    const ownerLength = p.readUInt16LE(at + 8);
    at += BINDING_FIXED;
    let owner: string | null = null;
    if (ownerLength !== NO_USER) {
      if (at + ownerLength > p.length) return null;
      owner = p.toString('utf8', at, at + ownerLength);
      at += ownerLength;
    }
    bindings.push([client, owner]);
  }
  return { bindings, at };
}
