// Staff acting on one person of a class: their state as staff see it, media actions wherever in the class's
// calls they are (mute, stop camera or screen, let speak or present, remove from the call), removal from the
// class for the rest of the session (documents, API and calls closed and refused until staff let them back
// in), the removed list, and the class's student publish policy. Permissions are the shared rules
// (classroom/moderation.ts); the people acted on are told by media notifications and their close reasons.
import {
  type Actor,
  DEFAULT_PUBLISH_POLICY,
  type PersonActionBody,
  type PersonActionResult,
  type PersonModeration as PersonState,
  type PublishPolicy,
  personActionDecision,
  type RemovedPerson,
  type Role,
  removedFromClassReason,
} from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import { closeConnections } from '../collab/closeConnection.ts';
import { AppError } from '../errors.ts';
import type { ClassStorage } from '../storage/types/classes.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { ClassNotifier } from './ClassNotifier.ts';
import type { ClassRoots } from './ClassRoots.ts';
import type { ClassroomMedia } from './ClassroomMedia.ts';
import type { PresenceTracker } from './PresenceTracker.ts';
import type { Removals } from './Removals.ts';

/** Who acts: a person of the class, or a course platform (acting as an instructor). */
export interface ActingStaff extends Actor {
  name: string;
}

export interface PersonModerationDeps {
  media: ClassroomMedia;
  removals: Removals;
  roots: Pick<ClassRoots, 'rootOf'>;
  tracker: Pick<PresenceTracker, 'person'>;
  classes: Pick<ClassStorage, 'rosterMember'>;
  sessions: Pick<SessionStorage, 'live'>;
  collab: Pick<CollabService, 'connectionsOfClass'>;
  notifier: ClassNotifier;
  /** The main class and its open breakout groups: where a class's people may be connected. */
  audienceOf(rootClassId: string): Promise<string[]>;
}

interface Target {
  userId: string;
  name: string;
  role: Role;
}

export class PersonModeration {
  constructor(private readonly deps: PersonModerationDeps) {}

  async state(classId: string, userId: string): Promise<PersonState> {
    const root = await this.deps.roots.rootOf(classId);
    const target = await this.target(classId, root, userId);
    const media = this.deps.media.userMedia(classId, userId);
    return {
      ...target,
      inCall: media.inCall,
      publishing: media.publishing,
      grant: media.grant,
      removed: await this.deps.removals.isRemoved(root, userId),
    };
  }

  async act(
    actor: ActingStaff,
    classId: string,
    userId: string,
    body: PersonActionBody,
  ): Promise<PersonActionResult> {
    const root = await this.deps.roots.rootOf(classId);
    const target = await this.target(classId, root, userId);
    const decision = personActionDecision(actor, target, body.action);
    if (!decision.ok) throw new AppError('forbidden', decision.reason);
    if (body.action === 'remove-from-class') return this.removeFromClass(actor, root, target);
    this.requireMedia();
    const affected = await this.deps.media.actOnUser(classId, userId, body, { byName: actor.name });
    return { action: body.action, affected };
  }

  /** Lets a removed person back in; false when they were not removed. */
  async letBackIn(actor: ActingStaff, classId: string, userId: string): Promise<boolean> {
    const root = await this.deps.roots.rootOf(classId);
    const lifted = await this.deps.removals.lift(root, userId, actor.userId);
    if (lifted) this.deps.notifier.toStaff(root, { type: 'removals' });
    return lifted;
  }

  async removed(classId: string): Promise<RemovedPerson[]> {
    return this.deps.removals.list(await this.deps.roots.rootOf(classId));
  }

  /** The session ended: everyone removed may come back. */
  async sessionEnded(rootClassId: string, byId: string): Promise<void> {
    if ((await this.deps.removals.liftAll(rootClassId, byId)).length > 0)
      this.deps.notifier.toStaff(rootClassId, { type: 'removals' });
  }

  publishPolicy(classId: string): PublishPolicy {
    return this.deps.media.publishPolicy(classId) ?? DEFAULT_PUBLISH_POLICY;
  }

  setPublishPolicy(actor: ActingStaff, classId: string, policy: PublishPolicy): number {
    this.requireMedia();
    return this.deps.media.setPublishPolicy(classId, policy, { byName: actor.name });
  }

  private async removeFromClass(
    actor: ActingStaff,
    root: string,
    target: Target,
  ): Promise<PersonActionResult> {
    const { removals, sessions, media, collab, notifier } = this.deps;
    const session = await sessions.live(root);
    await removals.add(root, {
      person: { id: target.userId, name: target.name, role: target.role },
      by: { id: actor.userId, name: actor.name },
      sessionId: session?.id ?? null,
    });
    // Stored first: whatever they reconnect to from here on is refused.
    const refusal = new AppError('removed', removedFromClassReason(actor.name));
    let affected = 0;
    for (const where of await this.deps.audienceOf(root)) {
      if (media.available)
        affected += await media.actOnUser(
          where,
          target.userId,
          { action: 'remove-from-class' },
          { byName: actor.name },
        );
      const theirs = collab.connectionsOfClass(where).filter((c) => c.context.user?.id === target.userId);
      closeConnections(theirs, refusal);
    }
    notifier.toStaff(root, { type: 'removals' });
    return { action: 'remove-from-class', affected };
  }

  /** The person, as the class knows them: present now, in a call, or on the roster. */
  private async target(classId: string, root: string, userId: string): Promise<Target> {
    const present = this.deps.tracker.person(root, userId);
    if (present) return { userId, name: present.name, role: present.role };
    const member = await this.deps.classes.rosterMember(root, userId);
    if (member) return { userId, name: member.name, role: member.role };
    const removed = (await this.deps.removals.list(root)).find((r) => r.userId === userId);
    if (removed) return { userId, name: removed.name, role: removed.role };
    throw new AppError('not_found', `nobody with id ${userId} is in class ${classId} now or on its roster`);
  }

  private requireMedia(): void {
    const { media } = this.deps;
    if (!media.available)
      throw new AppError('unavailable', `class media is unavailable: ${media.unavailableReason ?? 'off'}`);
  }
}
