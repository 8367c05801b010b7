// Class media rules as pure functions: who may publish what (the room's student policy, widened for one
// student by a staff grant), who may moderate whom, who may be granted, who is admitted. The server
// enforces them; the client uses the same functions to show what is allowed.
import { isStaff, type Role } from '../roles.ts';
import type { MediaKind } from './rtp.ts';

/** What a producer carries; each source is its own producer (a screen share never rides on the camera). */
export const MEDIA_SOURCES = ['mic', 'camera', 'screen', 'screen-audio'] as const;
export type ProducerSource = (typeof MEDIA_SOURCES)[number];

/** What students may publish in a class; staff always may publish everything, observers nothing. */
export const PUBLISH_POLICIES = ['none', 'audio', 'audio-video', 'all'] as const;
export type PublishPolicy = (typeof PUBLISH_POLICIES)[number];
export const DEFAULT_PUBLISH_POLICY: PublishPolicy = 'audio-video';

const SOURCE_KIND = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
  'screen-audio': 'audio',
} as const satisfies Record<ProducerSource, MediaKind>;

export function kindOfSource(source: ProducerSource): MediaKind {
  return SOURCE_KIND[source];
}

const ALLOWED_SOURCES = {
  none: [],
  audio: ['mic'],
  'audio-video': ['mic', 'camera'],
  all: ['mic', 'camera', 'screen', 'screen-audio'],
} as const satisfies Record<PublishPolicy, readonly ProducerSource[]>;

export function studentMaySend(policy: PublishPolicy, source: ProducerSource): boolean {
  return (ALLOWED_SOURCES[policy] as readonly ProducerSource[]).includes(source);
}

/**
 * What staff let one student do beyond the room's policy: `speak` (microphone) or `present` (microphone,
 * camera and screen). A grant only widens: under policy `all` it changes nothing.
 */
export const PUBLISH_GRANTS = ['speak', 'present'] as const;
export type PublishGrant = (typeof PUBLISH_GRANTS)[number];

const GRANTED_SOURCES = {
  speak: ['mic'],
  present: ['mic', 'camera', 'screen', 'screen-audio'],
} as const satisfies Record<PublishGrant, readonly ProducerSource[]>;

function grantAllows(grant: PublishGrant | null, source: ProducerSource): boolean {
  return grant !== null && (GRANTED_SOURCES[grant] as readonly ProducerSource[]).includes(source);
}

export type Decision = { ok: true } | { ok: false; reason: string };
const OK: Decision = Object.freeze({ ok: true });

/** May a peer with `role` publish `source` under the room's student `policy` and their own `grant`? */
export function publishDecision(
  role: Role,
  policy: PublishPolicy,
  source: ProducerSource,
  grant: PublishGrant | null = null,
): Decision {
  if (isStaff(role)) return OK;
  switch (role) {
    case 'observer':
      return { ok: false, reason: 'observers cannot publish media' };
    case 'student':
      if (studentMaySend(policy, source) || grantAllows(grant, source)) return OK;
      return {
        ok: false,
        reason: `students may not publish ${source} in this class (student publishing is "${policy}"; ask the instructor to let you ${source === 'mic' ? 'speak' : 'present'})`,
      };
    default:
      return { ok: false, reason: `role ${role} cannot publish media` };
  }
}

/** Staff moderate (mute, stop a share, remove, change the policy); assistants cannot act on instructors. */
export function moderationDecision(actor: Role, target?: Role): Decision {
  if (!isStaff(actor))
    return { ok: false, reason: 'only instructors and assistants can moderate class media' };
  if (actor === 'assistant' && target === 'instructor') {
    return { ok: false, reason: 'assistants cannot moderate the instructor' };
  }
  return OK;
}

/** Staff grant students (only: staff publish anything already, observers never) the right to speak or present. */
export function grantDecision(actor: Role, target: Role): Decision {
  const moderation = moderationDecision(actor, target);
  if (!moderation.ok) return moderation;
  if (target !== 'student') {
    return {
      ok: false,
      reason:
        target === 'observer'
          ? 'observers cannot publish; give them a student link instead'
          : 'instructors and assistants may publish anything already',
    };
  }
  return OK;
}

/** Staff are always admitted so a full class never locks out its instructor; others count against the cap. */
export function admissionDecision(role: Role, peersInClass: number, maxPeers: number): Decision {
  if (isStaff(role) || peersInClass < maxPeers) return OK;
  return { ok: false, reason: `the class media session is full (${maxPeers} participants)` };
}
