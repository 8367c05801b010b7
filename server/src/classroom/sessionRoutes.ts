// REST for sessions and their attendance. Platforms schedule, start and end sessions; instructors do the
// same with their class token (the "Start class" and "End class" buttons). Staff read attendance.
//   GET  /api/classes/<id>/sessions          POST /api/classes/<id>/sessions
//   GET  /api/sessions/<sid>                 POST /api/sessions/<sid>/start    POST /api/sessions/<sid>/end
//   GET  /api/sessions/<sid>/attendance[?format=csv]
import { classIdSchema, createSessionBodySchema, type SessionInfo } from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { sendText } from '../http/router.ts';
import { armRecording } from '../recording/newManifest.ts';
import { attendanceCsv, buildAttendance } from './attendanceReport.ts';
import type { Classroom } from './Classroom.ts';
import { actorOf } from './HandService.ts';
import { type Principal, requireInstructor, requireMember, requireStaff } from './principal.ts';
import type { Api } from './routeKit.ts';

const attendanceQuery = v.object({ format: v.optional(v.picklist(['json', 'csv'])) });

export function installSessionRoutes(api: Api, room: Classroom): void {
  const { sessions, classes } = room;
  const sessionFor = async (principal: Principal, sessionId: string): Promise<SessionInfo> => {
    const session = await sessions.require(sessionId);
    requireMember(principal, session.classId);
    return session;
  };

  api.on('GET', '/api/classes/:classId/sessions', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    call.reply(200, { sessions: await sessions.list(classId) });
  });

  api.on('POST', '/api/classes/:classId/sessions', async (call) => {
    const classId = call.param('classId');
    if (!v.is(classIdSchema, classId)) {
      throw new AppError('bad_request', 'breakout rooms have no sessions of their own');
    }
    requireInstructor(call.principal, classId, 'schedule or start sessions');
    const body = await call.body(createSessionBodySchema);
    // A class known only from its tokens gets a row when its instructor first starts it.
    const info = call.principal.kind === 'user' ? await classes.ensure(classId) : await classes.get(classId);
    if (!info) throw new AppError('not_found', `no class ${classId}; create it with POST /api/classes`);
    let session = await sessions.create({
      classId,
      title: body.title ?? info.title,
      scheduledStart: body.scheduledStart ? Date.parse(body.scheduledStart) : null,
      scheduledEnd: body.scheduledEnd ? Date.parse(body.scheduledEnd) : null,
      maxParticipants: body.maxParticipants === undefined ? info.maxParticipants : body.maxParticipants,
    });
    // `record`: the session records from its start (server/src/recording); a platform is no person.
    const byId = call.principal.kind === 'user' ? call.principal.user.id : null;
    if (body.record) await armRecording(room.recordings, session, byId);
    if (body.startNow) session = await room.sessionService.start(session.id, actorOf(call.principal).id);
    call.reply(201, { session });
  });

  api.on('GET', '/api/sessions/:sessionId', async (call) => {
    call.reply(200, { session: await sessionFor(call.principal, call.param('sessionId')) });
  });

  api.on('POST', '/api/sessions/:sessionId/start', async (call) => {
    const session = await sessionFor(call.principal, call.param('sessionId'));
    requireInstructor(call.principal, session.classId, 'start the session');
    call.reply(200, { session: await room.sessionService.start(session.id, actorOf(call.principal).id) });
  });

  api.on('POST', '/api/sessions/:sessionId/end', async (call) => {
    const session = await sessionFor(call.principal, call.param('sessionId'));
    requireInstructor(call.principal, session.classId, 'end the session');
    const ended = await room.sessionService.end(session.id, actorOf(call.principal).id);
    call.reply(200, { session: ended });
  });

  api.on('GET', '/api/sessions/:sessionId/attendance', async (call) => {
    const session = await sessionFor(call.principal, call.param('sessionId'));
    requireStaff(call.principal, session.classId, 'see attendance');
    const { format } = call.query(attendanceQuery);
    // Presence and speaking events recorded before this request are in the report.
    await room.recorder.flushed();
    const report = buildAttendance({
      session,
      people: await room.attendance.people(session.id),
      intervals: await room.attendance.intervals(session.id),
      roster: await classes.roster(session.classId),
      presentIds: new Set(room.tracker.present(session.classId).map((p) => p.id)),
      liveSpeakingMs: room.recorder.liveSpeakingMs(session),
      now: Date.now(),
      polls: await room.polls.attendanceOf(session.id),
    });
    const wantsCsv = format === 'csv' || (!format && /text\/csv/.test(call.rc.req.headers.accept ?? ''));
    if (!wantsCsv) return call.reply(200, report);
    call.rc.res.setHeader('content-disposition', `attachment; filename="attendance-${session.id}.csv"`);
    call.rc.res.setHeader('cache-control', 'no-store');
    sendText(call.rc.res, 200, attendanceCsv(report), 'text/csv; charset=utf-8');
  });
}
