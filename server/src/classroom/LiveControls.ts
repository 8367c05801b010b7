// Staff controls of a live class: lock code and whiteboard (effective at once on open connections), "follow
// me", bring everyone to the stage (the call shown large), spotlight a student's workspace (readable by the
// class while it lasts), mute everyone's microphone, announcements. Follow-me, the stage and spotlight are
// live-only state and end with the session or a restart.
import { type ClassLocks, formatDocumentName, isStaff, type PersonRef, type Spotlight } from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import { closeConnection } from '../collab/closeConnection.ts';
import { AppError } from '../errors.ts';
import type { ClassEvents } from './ClassEvents.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';

export class LiveControls {
  private readonly followMe = new Map<string, PersonRef>();
  private readonly spotlights = new Map<string, Spotlight>();
  private readonly stages = new Map<string, PersonRef>();

  constructor(
    private readonly collab: Pick<CollabService, 'setLocks' | 'locks' | 'connectionsOfClass'>,
    private readonly notifier: ClassNotifier,
    private readonly media: ClassroomMedia,
    private readonly audienceOf: (rootClassId: string) => Promise<string[]>,
    private readonly events: Pick<ClassEvents, 'emit'>,
    private readonly now: () => number = Date.now,
  ) {}

  async locks(classId: string): Promise<ClassLocks> {
    const { codeLocked, boardLocked } = await this.collab.locks.load(classId);
    return { codeLocked, boardLocked };
  }

  async setLocks(
    classId: string,
    patch: { codeLocked?: boolean; boardLocked?: boolean },
    by: PersonRef | null = null,
  ): Promise<ClassLocks> {
    const clean: Partial<ClassLocks> = {};
    if (patch.codeLocked !== undefined) clean.codeLocked = patch.codeLocked;
    if (patch.boardLocked !== undefined) clean.boardLocked = patch.boardLocked;
    const before = await this.collab.locks.load(classId);
    const { codeLocked, boardLocked } = await this.collab.setLocks(classId, clean);
    this.notifier.toClass(classId, { type: 'locks', codeLocked, boardLocked });
    const at = this.now();
    const changed = (target: 'code' | 'board', locked: boolean) =>
      this.events.emit('lockChanged', { classId, target, locked, at, by });
    if (codeLocked !== before.codeLocked) changed('code', codeLocked);
    if (boardLocked !== before.boardLocked) changed('board', boardLocked);
    return { codeLocked, boardLocked };
  }

  followMeOf(classId: string): PersonRef | null {
    return this.followMe.get(classId) ?? null;
  }

  /** A staff member asks everyone to follow them (on), or stops (off: any staff member may end it). */
  setFollowMe(classId: string, leader: PersonRef, on: boolean): PersonRef | null {
    const previous = this.followMe.get(classId);
    if (on !== (previous !== undefined) || (on && previous?.id !== leader.id)) {
      this.events.emit('followChanged', {
        classId,
        mode: 'follow',
        action: !on ? 'ended' : previous ? 'moved' : 'started',
        document: null,
        at: this.now(),
        by: leader.id === '' ? null : leader,
      });
    }
    if (on) this.followMe.set(classId, leader);
    else this.followMe.delete(classId);
    const current = this.followMeOf(classId);
    this.notifier.toClass(classId, { type: 'followMe', leader: current });
    return current;
  }

  stageOf(classId: string): PersonRef | null {
    return this.stages.get(classId) ?? null;
  }

  /**
   * A staff member brings everyone's page to the stage (on), or releases it (off: any staff member may). Asking
   * again for what already is (a repeated request) changes nothing and tells nobody again.
   */
  setStage(classId: string, by: PersonRef, on: boolean): PersonRef | null {
    const previous = this.stageOf(classId);
    if (on ? previous?.id === by.id : previous === null) return previous;
    if (on) this.stages.set(classId, by);
    else this.stages.delete(classId);
    const current = this.stageOf(classId);
    this.notifier.toClass(classId, { type: 'stage', by: current });
    return current;
  }

  spotlightOf(classId: string): Spotlight | null {
    return this.spotlights.get(classId) ?? null;
  }

  /** Puts `person`'s workspace in the spotlight (null ends it); viewers of an ended spotlight are closed. */
  async setSpotlight(
    classId: string,
    person: PersonRef | null,
    byId: string | null = null,
  ): Promise<Spotlight | null> {
    const previous = this.spotlights.get(classId);
    await this.collab.setLocks(classId, { spotlightUserId: person?.id ?? null });
    if (person) {
      this.spotlights.set(classId, {
        user: person,
        documentName: formatDocumentName({ classId, kind: 'ws', key: person.id }),
      });
    } else {
      this.spotlights.delete(classId);
    }
    if (previous && previous.user.id !== person?.id) this.closeViewers(classId, previous.user.id);
    const current = this.spotlightOf(classId);
    if (previous?.user.id !== current?.user.id) {
      this.events.emit('followChanged', {
        classId,
        mode: 'spotlight',
        action: !current ? 'ended' : previous ? 'moved' : 'started',
        document: current?.documentName ?? null,
        at: this.now(),
        by: byId === null ? null : { id: byId, name: '' },
      });
    }
    this.notifier.toClass(classId, {
      type: 'spotlight',
      user: current?.user ?? null,
      documentName: current?.documentName ?? null,
      byId,
    });
    return current;
  }

  async muteAll(classId: string, by: PersonRef): Promise<number> {
    if (!this.media.available) {
      throw new AppError(
        'unavailable',
        `class media is unavailable: ${this.media.unavailableReason ?? 'off'}`,
      );
    }
    const paused = await this.media.muteAll(classId, { byName: by.name });
    this.notifier.toClass(classId, { type: 'mutedAll', byName: by.name, byId: by.id });
    return paused;
  }

  /** Shown to everyone in the class, breakout rooms included. */
  async announce(rootClassId: string, text: string, by: PersonRef): Promise<number> {
    const at = this.now();
    for (const classId of await this.audienceOf(rootClassId)) {
      this.notifier.toClass(classId, { type: 'announcement', text, byName: by.name, at, byId: by.id });
    }
    this.events.emit('announcement', { classId: rootClassId, text, at, by: { id: by.id, name: by.name } });
    return at;
  }

  /** The session ended: follow-me, the stage and spotlight end with it. */
  async reset(classId: string): Promise<void> {
    if (this.followMe.has(classId)) this.setFollowMe(classId, { id: '', name: '' }, false);
    if (this.stages.has(classId)) this.setStage(classId, { id: '', name: '' }, false);
    if (this.spotlights.has(classId)) await this.setSpotlight(classId, null);
  }

  private closeViewers(classId: string, ownerId: string): void {
    for (const connection of this.collab.connectionsOfClass(classId)) {
      const { user, doc } = connection.context;
      if (!user || doc?.kind !== 'ws' || doc.key !== ownerId) continue;
      if (user.id === ownerId || isStaff(user.role)) continue;
      closeConnection(connection, new AppError('forbidden', 'the spotlight on this workspace ended'));
    }
  }
}
