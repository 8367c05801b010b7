// Exercises and personal workspaces: staff hand out starter content (the class code, chosen files of it, or
// a template) to every student's workspace `<classId>/ws/<userId>`: at once for the students known to the
// class (roster and present), on first open for any other. Work that would be overwritten (a hand-out over
// existing work, a reset) is saved as a version first; a hand-out over work needs the caller's confirmation.
// A student has one workspace per main class: every call made with a breakout group's id works on the
// group's main class (its hand-out, its workspaces), so "My workspace" in a group is the same document.
import {
  formatDocumentName,
  type Handout,
  type HandoutReply,
  type OpenWorkspaceReply,
  type StarterFile,
  type WorkspaceSummary,
} from '@tandem/shared';
import * as Y from 'yjs';
import type { ActingUser, CollabService } from '../collab/CollabService.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ClassStorage } from '../storage/types/classes.ts';
import type { HandoutStorage } from '../storage/types/handouts.ts';
import { fillWorkspace, hasWork, readStarter } from './starterContent.ts';

/** Workspaces filled at once; each loads (and unloads) one document on the server. */
const FILL_CONCURRENCY = 4;
/** The class code document a `class` hand-out copies from. */
const CLASS_CODE_KEY = 'main';

export interface WorkspaceDeps {
  collab: Pick<CollabService, 'edit' | 'read' | 'versions' | 'seqOf'>;
  handouts: HandoutStorage;
  classes: Pick<ClassStorage, 'roster' | 'rosterMember'>;
  /** Students present in a main class now (every device), by id and name. */
  presentStudents(rootClassId: string): { id: string; name: string }[];
  rootOf(classId: string): Promise<string>;
  /** When each workspace's owner last wrote to it, for documents `<prefix><userId>` (one query a class). */
  ownerLastEdits(prefix: string): Promise<Map<string, number>>;
  nameOf(rootClassId: string, userId: string): Promise<string>;
  log: Logger;
  now?: () => number;
}

export type HandoutSource =
  | { source: 'class'; fileIds?: string[] }
  | { source: 'template'; files: StarterFile[] };

export class WorkspaceService {
  private readonly now: () => number;

  constructor(private readonly deps: WorkspaceDeps) {
    this.now = deps.now ?? Date.now;
  }

  static documentOf(classId: string, userId: string): string {
    return formatDocumentName({ classId, kind: 'ws', key: userId });
  }

  /** Students to fill at once: the roster's students and everyone present as a student, once each. */
  async knownStudents(classId: string): Promise<{ id: string; name: string }[]> {
    const root = await this.deps.rootOf(classId);
    const people = new Map<string, string>();
    for (const m of await this.deps.classes.roster(root))
      if (m.role === 'student') people.set(m.userId, m.name);
    for (const p of this.deps.presentStudents(root)) if (!people.has(p.id)) people.set(p.id, p.name);
    return [...people].map(([id, name]) => ({ id, name }));
  }

  async handOut(
    anyClassId: string,
    from: HandoutSource,
    replace: boolean,
    actor: ActingUser,
  ): Promise<HandoutReply> {
    const classId = await this.deps.rootOf(anyClassId);
    const files =
      from.source === 'template'
        ? from.files
        : await this.deps.collab.read(
            formatDocumentName({ classId, kind: 'code', key: CLASS_CODE_KEY }),
            (doc) => readStarter(doc, from.fileIds),
          );
    const previous = await this.deps.handouts.current(classId);
    const students = await this.knownStudents(classId);
    if (!replace) {
      const withWork = await this.countWithWork(classId, students, previous?.files ?? null);
      if (withWork > 0) {
        throw new AppError(
          'conflict',
          `${withWork} workspace${withWork === 1 ? ' has' : 's have'} work in it; hand out again with "replace": true to save a version of each and replace it`,
        );
      }
    }
    const handout = await this.deps.handouts.publish(classId, files, actor.id, this.now());
    let saved = 0;
    await inBatches(students, FILL_CONCURRENCY, async (student) => {
      if (await this.deliver(classId, student.id, handout, previous?.files ?? null, actor)) saved++;
    });
    this.deps.log.info(
      { classId, revision: handout.revision, delivered: students.length, saved },
      'handed out',
    );
    return { handout, delivered: students.length, saved };
  }

  /**
   * A student opening their workspace: the current hand-out arrives if it has not yet. Staff opening one
   * (`byOwner` false) must name a student of the class, or a workspace would be made for any id.
   */
  async open(
    anyClassId: string,
    userId: string,
    actor: ActingUser,
    byOwner: boolean,
  ): Promise<OpenWorkspaceReply> {
    const classId = await this.deps.rootOf(anyClassId);
    if (!byOwner) await this.requireStudent(classId, userId);
    const handout = await this.deps.handouts.current(classId);
    if (!handout) return { revision: 0, delivered: false };
    const receipt = await this.deps.handouts.receipt(classId, userId);
    if (receipt && receipt.revision >= handout.revision)
      return { revision: receipt.revision, delivered: false };
    // The starter is the hand-out author's text: the update log attributes it to them, not to the opener.
    await this.deliver(classId, userId, handout, null, actor, { id: handout.createdBy });
    return { revision: handout.revision, delivered: true };
  }

  /** Back to the current starter (empty without a hand-out); the work is saved as a version first. */
  async reset(
    anyClassId: string,
    userId: string,
    actor: ActingUser,
  ): Promise<{ revision: number; saved: boolean }> {
    const classId = await this.deps.rootOf(anyClassId);
    await this.requireStudent(classId, userId);
    const name = WorkspaceService.documentOf(classId, userId);
    const handout = await this.deps.handouts.current(classId);
    const saved = await this.saveVersion(name, 'Before reset', actor, handout?.files ?? null);
    await this.deps.collab.edit(name, actor, (doc) => fillWorkspace(doc, handout?.files ?? [], actor.id));
    if (handout) await this.deps.handouts.markReceived(classId, userId, handout.revision, this.now());
    return { revision: handout?.revision ?? 0, saved };
  }

  async current(anyClassId: string): Promise<Handout | null> {
    return this.deps.handouts.current(await this.deps.rootOf(anyClassId));
  }

  /**
   * Every student's workspace the class knows of (roster, present, or that received a hand-out), with the
   * facts the wall sorts and filters by for tiles it has not subscribed to: last edit and whether in class.
   */
  async list(anyClassId: string): Promise<WorkspaceSummary[]> {
    const root = await this.deps.rootOf(anyClassId);
    const receipts = new Map((await this.deps.handouts.receipts(root)).map((r) => [r.userId, r]));
    const known = await this.knownStudents(root);
    const names = new Map(known.map((s) => [s.id, s.name]));
    for (const userId of receipts.keys())
      if (!names.has(userId)) names.set(userId, await this.deps.nameOf(root, userId));
    const present = new Set(this.deps.presentStudents(root).map((p) => p.id));
    const edits = await this.deps.ownerLastEdits(WorkspaceService.documentOf(root, ''));
    return [...names]
      .map(([userId, name]) => ({
        userId,
        name,
        revision: receipts.get(userId)?.revision ?? 0,
        receivedAt: receipts.get(userId)?.receivedAt ?? null,
        lastEditAt: edits.get(userId) ?? null,
        inClass: present.has(userId),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
  }

  /** A student of the main class: on its roster as one, present as one, or whose workspace received a hand-out. */
  private async requireStudent(root: string, userId: string): Promise<void> {
    const { classes, handouts } = this.deps;
    if ((await classes.rosterMember(root, userId))?.role === 'student') return;
    if (this.deps.presentStudents(root).some((p) => p.id === userId)) return;
    if (await handouts.receipt(root, userId)) return;
    throw new AppError('not_found', `${userId} is not a student of this class`);
  }

  /** Fills one workspace; returns whether earlier work was saved as a version first. */
  private async deliver(
    classId: string,
    userId: string,
    handout: Handout,
    previousStarter: readonly StarterFile[] | null,
    actor: ActingUser,
    author: ActingUser = actor,
  ): Promise<boolean> {
    const name = WorkspaceService.documentOf(classId, userId);
    const saved = await this.saveVersion(name, `Before hand-out ${handout.revision}`, actor, previousStarter);
    await this.deps.collab.edit(name, author, (doc) => fillWorkspace(doc, handout.files, author.id));
    await this.deps.handouts.markReceived(classId, userId, handout.revision, this.now());
    return saved;
  }

  /** Saves the workspace as a version when it holds work beyond `starter`; true when it did. */
  private async saveVersion(
    name: string,
    label: string,
    actor: ActingUser,
    starter: readonly StarterFile[] | null,
  ): Promise<boolean> {
    const { collab } = this.deps;
    const snapshot = await collab.read(name, (doc) =>
      hasWork(doc, starter) ? { state: Y.encodeStateAsUpdate(doc), seq: collab.seqOf(name) } : null,
    );
    if (!snapshot) return false;
    await collab.versions.create(name, {
      label,
      authorId: actor.id,
      authorName: actor.name ?? null,
      ...snapshot,
    });
    return true;
  }

  private async countWithWork(
    classId: string,
    students: readonly { id: string }[],
    starter: readonly StarterFile[] | null,
  ): Promise<number> {
    let count = 0;
    await inBatches(students, FILL_CONCURRENCY, async (s) => {
      const name = WorkspaceService.documentOf(classId, s.id);
      if (await this.deps.collab.read(name, (doc) => hasWork(doc, starter))) count++;
    });
    return count;
  }
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
