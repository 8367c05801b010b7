// REST for the live class: its state for a client entering, raised hands, and staff controls.
//   GET    /api/classes/<id>/state
//   GET    /api/classes/<id>/hands       POST /api/classes/<id>/hands (raise your own)
//   DELETE /api/classes/<id>/hands/<userId> (lower: your own, or anyone's for staff)
//   DELETE /api/classes/<id>/hands (staff: lower all)
//   PUT    /api/classes/<id>/locks       PUT /api/classes/<id>/follow      PUT /api/classes/<id>/spotlight
//   PUT    /api/classes/<id>/stage
//   POST   /api/classes/<id>/mute-all    POST /api/classes/<id>/announcements
import {
  announcementBodySchema,
  type ClassState,
  followBodySchema,
  locksBodySchema,
  spotlightBodySchema,
  stageBodySchema,
} from '@tandem/shared';
import { AppError } from '../errors.ts';
import { viewerOf } from '../polls/pollView.ts';
import type { Classroom } from './Classroom.ts';
import { actorOf } from './HandService.ts';
import { isStaffPrincipal, type Principal, requireMember, requirePerson, requireStaff } from './principal.ts';
import type { Api } from './routeKit.ts';

export function installControlRoutes(api: Api, room: Classroom): void {
  const { hands, controls, roots } = room;

  api.on('GET', '/api/classes/:classId/state', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    call.reply(200, await classState(room, call.principal, classId));
  });

  api.on('GET', '/api/classes/:classId/hands', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    const user = call.principal.kind === 'user' ? call.principal.user : null;
    call.reply(200, { queue: await hands.visibleQueue(await roots.rootOf(classId), user) });
  });

  api.on('POST', '/api/classes/:classId/hands', async (call) => {
    const user = requirePerson(call.principal, call.param('classId'));
    call.reply(200, { queue: await hands.raise(user) });
  });

  api.on('DELETE', '/api/classes/:classId/hands/:userId', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    call.reply(200, { queue: await hands.lower(call.principal, classId, call.param('userId')) });
  });

  api.on('DELETE', '/api/classes/:classId/hands', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'lower every hand');
    call.reply(200, { queue: await hands.lowerAll(call.principal, classId) });
  });

  api.on('PUT', '/api/classes/:classId/locks', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'lock code or the whiteboard');
    const patch = await call.body(locksBodySchema);
    call.reply(200, { locks: await controls.setLocks(classId, patch, actorOf(call.principal)) });
  });

  api.on('PUT', '/api/classes/:classId/follow', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'ask everyone to follow them');
    const user = requirePerson(call.principal, classId);
    const { on } = await call.body(followBodySchema);
    call.reply(200, { followMe: controls.setFollowMe(classId, { id: user.id, name: user.name }, on) });
  });

  api.on('PUT', '/api/classes/:classId/stage', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'bring everyone to the stage');
    const { on } = await call.body(stageBodySchema);
    call.reply(200, { stage: controls.setStage(classId, actorOf(call.principal), on) });
  });

  api.on('PUT', '/api/classes/:classId/spotlight', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'spotlight a workspace');
    const { userId } = await call.body(spotlightBodySchema);
    const root = await roots.rootOf(classId);
    const person = userId ? { id: userId, name: await room.nameOf(root, userId) } : null;
    const spotlight = await controls.setSpotlight(classId, person, actorOf(call.principal).id);
    call.reply(200, { spotlight });
  });

  api.on('POST', '/api/classes/:classId/mute-all', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'mute everyone');
    call.reply(200, { paused: await controls.muteAll(classId, actorOf(call.principal)) });
  });

  api.on('POST', '/api/classes/:classId/announcements', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'make announcements');
    const { text } = await call.body(announcementBodySchema);
    const at = await controls.announce(await roots.rootOf(classId), text, actorOf(call.principal));
    call.reply(201, { announcement: { text, at } });
  });
}

async function classState(room: Classroom, principal: Principal, classId: string): Promise<ClassState> {
  const root = await room.roots.rootOf(classId);
  const group = await room.breakoutStore.group(classId);
  const user = principal.kind === 'user' ? principal.user : null;
  const mute = user ? await room.chatStore.muteState(root, user.id) : { muted: false, until: null };
  if (group && !user) throw new AppError('bad_request', 'ask about the main class');
  return {
    classId,
    breakoutOf: group
      ? {
          classId: group.parentClassId,
          groupId: group.groupId,
          groupName: group.name,
          closed: group.state === 'closed',
        }
      : null,
    session: await room.sessions.live(root),
    locks: await room.controls.locks(classId),
    followMe: room.controls.followMeOf(classId),
    spotlight: room.controls.spotlightOf(classId),
    stage: room.controls.stageOf(classId),
    hands: await room.hands.visibleQueue(root, user),
    myHandRaised: user ? await room.hands.isRaised(root, user.id) : false,
    chat: { muted: mute.muted, mutedUntil: mute.until },
    breakouts: group ? null : await room.breakouts.view(root, user),
    publishPolicy: room.moderation.publishPolicy(classId),
    removed: isStaffPrincipal(principal) ? await room.moderation.removed(classId) : null,
    polls: await room.polls.visible(root, viewerOf(principal)),
    recording: room.recordingIndicators.of(root),
  };
}
