// REST for breakout rooms.
//   GET  /api/classes/<id>/breakouts              the latest set (staff: all groups; others: their own)
//   POST /api/classes/<id>/breakouts              open (staff): random or chosen groups
//   POST /api/classes/<id>/breakouts/close        close (staff)
//   POST /api/classes/<id>/breakouts/token        a group token: your group, or any group for staff
//   POST /api/classes/<id>/breakouts/broadcast    an announcement in every group (staff)
import {
  breakoutBroadcastBodySchema,
  breakoutTokenBodySchema,
  classIdSchema,
  createBreakoutsBodySchema,
} from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import type { Classroom } from './Classroom.ts';
import { actorOf } from './HandService.ts';
import { requireMember, requirePerson, requireStaff } from './principal.ts';
import { type Api, type Call, MAX_LIST_BODY_BYTES } from './routeKit.ts';

export function installBreakoutRoutes(api: Api, room: Classroom): void {
  const { breakouts } = room;
  /** Breakouts belong to main classes; a group cannot have groups of its own. */
  const mainClass = async (call: Call) => {
    const classId = call.param('classId');
    if (!v.is(classIdSchema, classId) || (await room.breakoutStore.group(classId))) {
      throw new AppError('bad_request', 'manage breakout rooms from the main class');
    }
    return classId;
  };

  api.on('GET', '/api/classes/:classId/breakouts', async (call) => {
    const classId = await mainClass(call);
    requireMember(call.principal, classId);
    const user = call.principal.kind === 'user' ? call.principal.user : null;
    call.reply(200, { breakouts: await breakouts.view(classId, user) });
  });

  api.on('POST', '/api/classes/:classId/breakouts', async (call) => {
    const classId = await mainClass(call);
    requireStaff(call.principal, classId, 'open breakout rooms');
    const body = await call.body(createBreakoutsBodySchema, MAX_LIST_BODY_BYTES);
    call.reply(201, { breakouts: await breakouts.open(classId, actorOf(call.principal), body) });
  });

  api.on('POST', '/api/classes/:classId/breakouts/close', async (call) => {
    const classId = await mainClass(call);
    requireStaff(call.principal, classId, 'close breakout rooms');
    if (!(await breakouts.closeOpen(classId, 'closed by staff'))) {
      throw new AppError('conflict', 'no breakout rooms are open');
    }
    call.reply(200, { breakouts: await breakouts.view(classId, null) });
  });

  api.on('POST', '/api/classes/:classId/breakouts/token', async (call) => {
    const classId = await mainClass(call);
    const user = requirePerson(call.principal, classId);
    const { groupId } = await call.body(breakoutTokenBodySchema);
    const exp = call.principal.kind === 'user' ? call.principal.exp : 0;
    call.reply(200, await breakouts.token(user, exp, groupId));
  });

  api.on('POST', '/api/classes/:classId/breakouts/broadcast', async (call) => {
    const classId = await mainClass(call);
    requireStaff(call.principal, classId, 'broadcast to breakout rooms');
    const { text } = await call.body(breakoutBroadcastBodySchema);
    call.reply(200, { groups: await breakouts.broadcast(classId, text, actorOf(call.principal)) });
  });
}
