// Which file a staff member has open in a code document, read from the presence states their connection sets
// (the editor's `file`), for the class timeline's file-switch markers. A file counts once it has stayed open
// FILE_DWELL_MS: a burst of switches keeps only its last file, so one connection's files are told at least that
// far apart. No timers: the dwell is checked when the connection's next state arrives (a provider renews its
// state every 15 s, and selections and scrolls send more) or when it closes. Only staff connections of code
// documents get a watch, so students' states cost one property check.
import type { Connection, Document } from '@hocuspocus/server';
import { getCodeFile, isStaff } from '@tandem/shared';
import type { Logger } from '../../logger.ts';
import type { CollabContext } from '../context.ts';
import type { PresenceState } from './awarenessUpdate.ts';

export const FILE_DWELL_MS = 2000;
/** File ids are a document's map keys; longer ones are not looked up (as blame's `file`). */
const MAX_FILE_ID_LENGTH = 100;

/** A file someone opened, named as it was then. */
export interface FileOpened {
  classId: string;
  document: string;
  fileId: string;
  name: string;
  /** When it was opened (server clock, epoch ms). */
  at: number;
  user: { id: string; name: string };
}

export type FileOpenedListener = (event: FileOpened) => void | Promise<void>;

/** One connection's open file, waiting for its dwell. */
export class OpenFileWatch {
  private open: { fileId: string; at: number; told: boolean } | null = null;

  /** A watch for staff connections of code documents; undefined for everyone else. */
  static for(connection: Connection<CollabContext>): OpenFileWatch | undefined {
    const { user, doc } = connection.context;
    return user && doc?.kind === 'code' && isStaff(user.role) ? new OpenFileWatch() : undefined;
  }

  /**
   * A state the connection set (null: its presence was removed, or the connection closed): returns the file
   * that was open long enough and not told yet, with when it was opened.
   */
  observe(state: PresenceState, now: number): { fileId: string; at: number } | null {
    const open = this.open;
    const done = open && !open.told && now - open.at >= FILE_DWELL_MS ? open : null;
    if (done) done.told = true;
    const fileId = state === null ? null : fileIdOf(state.file);
    if (fileId !== (open?.fileId ?? null))
      this.open = fileId === null ? null : { fileId, at: now, told: false };
    return done ? { fileId: done.fileId, at: done.at } : null;
  }
}

function fileIdOf(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_FILE_ID_LENGTH ? value : null;
}

/** Listeners of opened files, added once the parts that listen exist (the timeline). */
export class OpenFileEvents {
  private readonly listeners = new Set<FileOpenedListener>();

  constructor(private readonly log: Logger) {}

  on(listener: FileOpenedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `fileId` as the connection's state said; told only when the document has that file (named as it is now). */
  tell(connection: Connection<CollabContext>, document: Document, opened: { fileId: string; at: number }) {
    const { user, doc } = connection.context;
    if (!user || !doc || this.listeners.size === 0) return;
    const file = getCodeFile(document, opened.fileId);
    if (!file) return;
    const event: FileOpened = {
      classId: doc.classId,
      document: document.name,
      fileId: file.id,
      name: file.name,
      at: opened.at,
      user: { id: user.id, name: user.name },
    };
    for (const listener of this.listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.failed(error));
      } catch (error) {
        this.failed(error);
      }
    }
  }

  private failed(error: unknown): void {
    this.log.error({ err: error }, 'file-opened listener failed');
  }
}
