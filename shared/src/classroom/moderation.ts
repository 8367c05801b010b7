// Acting on one person (staff): the REST bodies, the person's state as staff see it, and which actions the
// rules allow on them right now, as one pure function the server checks and the client's menu shows.
// The media rules it builds on (who moderates whom, who may be granted) are in ../media/rules.ts.
import * as v from 'valibot';
import { publishGrantSchema, publishPolicySchema } from '../media/model.ts';
import { type Decision, grantDecision, moderationDecision, type PublishGrant } from '../media/rules.ts';
import type { Role } from '../roles.ts';

/**
 * `POST /api/classes/<id>/people/<userId>/actions`. Media actions apply to the person's connections in
 * every call of the class (main and pair rooms); `remove-from-class` also closes their documents and refuses
 * them everywhere until staff let them back in (or the session ends).
 */
export const personActionBodySchema = v.variant('action', [
  v.strictObject({ action: v.literal('mute') }),
  v.strictObject({ action: v.literal('stop-camera') }),
  v.strictObject({ action: v.literal('stop-screen') }),
  v.strictObject({ action: v.literal('remove-from-call') }),
  v.strictObject({ action: v.literal('remove-from-class') }),
  /** `null` takes a grant back; what it no longer allows is closed. */
  v.strictObject({ action: v.literal('grant'), grant: v.nullable(publishGrantSchema) }),
]);
export type PersonActionBody = v.InferOutput<typeof personActionBodySchema>;
export type PersonActionName = PersonActionBody['action'];

export const publishPolicyBodySchema = v.strictObject({ policy: publishPolicySchema });

/** What one action did: how many producers were paused or closed, and how many calls the person left. */
export interface PersonActionResult {
  action: PersonActionName;
  affected: number;
}

/** A person as staff see them for moderation (`GET /api/classes/<id>/people/<userId>`). */
export interface PersonModeration {
  userId: string;
  name: string;
  role: Role;
  /** In one of the class's calls now. */
  inCall: boolean;
  /** What they send right now (a paused microphone is not "on"). */
  publishing: { mic: boolean; camera: boolean; screen: boolean };
  grant: PublishGrant | null;
  removed: boolean;
}

/** Someone staff removed from the class for the rest of the session. */
export interface RemovedPerson {
  userId: string;
  name: string;
  role: Role;
  byName: string;
  at: number;
}

/** What a person removed from the class is told, by every endpoint that refuses them. */
export function removedFromClassReason(byName: string): string {
  return `${byName} removed you from this class for the rest of the session. Ask the instructor to let you back in, then open the class again.`;
}

export function removedFromCallReason(byName: string): string {
  return `${byName} removed you from the call. You can join it again.`;
}

/** The menu's entries; `grant` of the body becomes three entries here. */
export const MENU_ACTIONS = [
  'mute',
  'stop-camera',
  'stop-screen',
  'let-speak',
  'let-present',
  'revoke-grant',
  'remove-from-call',
  'remove-from-class',
  'let-back-in',
] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];

export interface Actor {
  userId: string;
  role: Role;
}

/** May `actor` act on `target` at all (the permission part, without the target's current state)? */
export function personActionDecision(
  actor: Actor,
  target: Pick<PersonModeration, 'userId' | 'role'>,
  action: PersonActionName,
): Decision {
  if (actor.userId === target.userId) return { ok: false, reason: 'staff actions are for other people' };
  if (action === 'grant') return grantDecision(actor.role, target.role);
  return moderationDecision(actor.role, target.role);
}

/** The actions that make sense on `target` now and that the rules allow `actor`, in menu order. */
export function personActions(actor: Actor, target: PersonModeration): MenuAction[] {
  const may = (action: PersonActionName) => personActionDecision(actor, target, action).ok;
  const actions: MenuAction[] = [];
  if (target.removed) return may('remove-from-class') ? ['let-back-in'] : [];
  if (target.inCall && may('mute') && target.publishing.mic) actions.push('mute');
  if (target.inCall && may('stop-camera') && target.publishing.camera) actions.push('stop-camera');
  if (target.inCall && may('stop-screen') && target.publishing.screen) actions.push('stop-screen');
  if (may('grant')) {
    if (target.grant !== 'speak') actions.push('let-speak');
    if (target.grant !== 'present') actions.push('let-present');
    if (target.grant !== null) actions.push('revoke-grant');
  }
  if (target.inCall && may('remove-from-call')) actions.push('remove-from-call');
  if (may('remove-from-class')) actions.push('remove-from-class');
  return actions;
}
