// REST for classes and rosters. Course platforms (API key) create, change and delete them (staff of a class
// may change who may replay it); staff of a class read its roster; anyone in the class reads the class.
//   POST   /api/classes                         GET /api/classes
//   GET    /api/classes/<id>                    PATCH /api/classes/<id>      DELETE /api/classes/<id>
//   GET    /api/classes/<id>/roster             PUT   /api/classes/<id>/roster
//   PUT    /api/classes/<id>/roster/<userId>    DELETE /api/classes/<id>/roster/<userId>
import {
  createClassBodySchema,
  patchClassBodySchema,
  putRosterBodySchema,
  putRosterMemberBodySchema,
  queryInt,
} from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import type { Classroom } from './Classroom.ts';
import { requireMember, requirePlatform, requireStaff } from './principal.ts';
import { studentsMayReplay } from './replayAccess.ts';
import { type Api, MAX_LIST_BODY_BYTES } from './routeKit.ts';

const pageQuery = v.object({
  limit: v.optional(v.pipe(queryInt, v.minValue(1), v.maxValue(500)), 100),
  offset: v.optional(v.pipe(queryInt, v.minValue(0)), 0),
});

export function installClassRoutes(
  api: Api,
  room: Classroom,
  /** RECORDINGS_STUDENTS_MAY_WATCH: whether students may replay a class whose setting is unset. */
  studentsMayReplayByDefault = false,
): void {
  const { classes } = room;
  const requireClass = async (id: string) => {
    const found = await classes.get(id);
    if (!found) throw new AppError('not_found', `no class ${id}; create it with POST /api/classes`);
    return found;
  };

  api.on('POST', '/api/classes', async (call) => {
    requirePlatform(call.principal, 'creating classes');
    const body = await call.body(createClassBodySchema);
    if (
      !(await classes.create({
        id: body.id,
        title: body.title,
        maxParticipants: body.maxParticipants ?? null,
      }))
    ) {
      throw new AppError('conflict', `class ${body.id} exists already`);
    }
    call.reply(201, { class: await classes.get(body.id) });
  });

  api.on('GET', '/api/classes', async (call) => {
    requirePlatform(call.principal, 'listing classes');
    const { limit, offset } = call.query(pageQuery);
    call.reply(200, { classes: await classes.list(limit, offset) });
  });

  api.on('GET', '/api/classes/:classId', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    const info = await requireClass(classId);
    // The setting with the server default applied, so a class page can tell students whether they may replay.
    call.reply(200, { class: info, studentsMayReplay: studentsMayReplay(info, studentsMayReplayByDefault) });
  });

  api.on('PATCH', '/api/classes/:classId', async (call) => {
    const classId = call.param('classId');
    // Staff may change who may replay the class (the class page's switch); everything else is the platform's.
    if (call.principal.kind !== 'platform')
      requireStaff(call.principal, classId, 'change who may replay this class');
    const patch = await call.body(patchClassBodySchema);
    if (call.principal.kind !== 'platform' && Object.keys(patch).some((key) => key !== 'replayForStudents'))
      requirePlatform(call.principal, 'changing a class other than who may replay it');
    call.reply(200, { class: (await classes.update(classId, patch)) ?? (await requireClass(classId)) });
  });

  api.on('DELETE', '/api/classes/:classId', async (call) => {
    const classId = call.param('classId');
    requirePlatform(call.principal, 'deleting classes');
    await requireClass(classId);
    if (await room.sessions.live(classId)) throw new AppError('conflict', 'end the live session first');
    await classes.remove(classId);
    room.sessions.forget(classId);
    call.reply(200, { deleted: classId });
  });

  api.on('GET', '/api/classes/:classId/roster', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'see the roster');
    call.reply(200, { members: await classes.roster(classId) });
  });

  api.on('PUT', '/api/classes/:classId/roster', async (call) => {
    const classId = call.param('classId');
    requirePlatform(call.principal, 'changing the roster');
    await requireClass(classId);
    const { members } = await call.body(putRosterBodySchema, MAX_LIST_BODY_BYTES);
    await classes.replaceRoster(classId, members);
    call.reply(200, { members: await classes.roster(classId) });
  });

  api.on('PUT', '/api/classes/:classId/roster/:userId', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requirePlatform(call.principal, 'changing the roster');
    await requireClass(classId);
    const member = await call.body(putRosterMemberBodySchema);
    await classes.upsertMember(classId, { userId, ...member });
    call.reply(200, { member: await classes.rosterMember(classId, userId) });
  });

  api.on('DELETE', '/api/classes/:classId/roster/:userId', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requirePlatform(call.principal, 'changing the roster');
    if (!(await classes.removeMember(classId, userId)))
      throw new AppError('not_found', `${userId} is not on the roster`);
    call.reply(200, { removed: userId });
  });
}
