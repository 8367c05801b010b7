// REST for chat. Clients read a room live from its chat document (`<classId>/chat/<room>`); every change
// goes through here. Rooms: `main` for the class, a pair's key for a pair room; breakout groups have their
// own class id and therefore their own `main` room.
//   GET    .../chat/<room>/messages?after=&limit=     POST .../chat/<room>/messages
//   PATCH  .../chat/<room>/messages/<mid>              DELETE .../chat/<room>/messages/<mid>
//   PUT    .../chat/<room>/messages/<mid>/reactions    GET .../chat/<room>/search?q=
//   GET    .../chat/<room>/status                      PUT .../chat/<room>/read
//   PUT    .../chat/<room>/slow-mode                   GET .../chat/<room>/audit
//   PUT    /api/classes/<id>/chat-mutes/<userId>
// (`...` is /api/classes/<classId>)
import {
  chatMuteBodySchema,
  chatSearchQuerySchema,
  editChatBodySchema,
  isStaff,
  queryInt,
  reactChatBodySchema,
  readMarkerBodySchema,
  sendChatBodySchema,
  slowModeBodySchema,
} from '@tandem/shared';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import type { Classroom } from './Classroom.ts';
import { requireMember, requirePerson, requireStaff } from './principal.ts';
import type { Api, Call } from './routeKit.ts';

const BASE = '/api/classes/:classId/chat/:room';
const pageQuery = v.object({
  after: v.optional(v.pipe(queryInt, v.minValue(0)), 0),
  limit: v.optional(v.pipe(queryInt, v.minValue(1), v.maxValue(1000)), 200),
});

export function installChatRoutes(api: Api, room: Classroom): void {
  const { chat, chatStore, notifier } = room;
  const target = (call: Call) => ({ classId: call.param('classId'), chatRoom: call.param('room') });

  api.on('GET', `${BASE}/messages`, async (call) => {
    const { classId, chatRoom } = target(call);
    requireMember(call.principal, classId);
    const { after, limit } = call.query(pageQuery);
    call.reply(200, { messages: await chat.messages(classId, chatRoom, after, limit) });
  });

  api.on('POST', `${BASE}/messages`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    const body = await call.body(sendChatBodySchema);
    call.reply(201, { message: await chat.send(user, chatRoom, body) });
  });

  api.on('PATCH', `${BASE}/messages/:messageId`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    const { text } = await call.body(editChatBodySchema);
    call.reply(200, { message: await chat.edit(user, chatRoom, call.param('messageId'), text) });
  });

  api.on('DELETE', `${BASE}/messages/:messageId`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    call.reply(200, { message: await chat.remove(user, chatRoom, call.param('messageId')) });
  });

  api.on('PUT', `${BASE}/messages/:messageId/reactions`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    const { reaction, on } = await call.body(reactChatBodySchema);
    call.reply(200, { message: await chat.react(user, chatRoom, call.param('messageId'), reaction, on) });
  });

  api.on('GET', `${BASE}/search`, async (call) => {
    const { classId, chatRoom } = target(call);
    requireMember(call.principal, classId);
    const { q, limit } = call.query(chatSearchQuerySchema);
    call.reply(200, { messages: await chat.search(classId, chatRoom, q, limit) });
  });

  api.on('GET', `${BASE}/status`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    call.reply(200, await chat.status(user, chatRoom));
  });

  api.on('PUT', `${BASE}/read`, async (call) => {
    const { classId, chatRoom } = target(call);
    const user = requirePerson(call.principal, classId);
    const { seq } = await call.body(readMarkerBodySchema);
    call.reply(200, { readSeq: await chat.markRead(user, chatRoom, seq) });
  });

  api.on('PUT', `${BASE}/slow-mode`, async (call) => {
    const { classId, chatRoom } = target(call);
    requireStaff(call.principal, classId, 'set slow mode');
    const { seconds } = await call.body(slowModeBodySchema);
    await chatStore.setSlowMode(classId, chatRoom, seconds);
    notifier.toClass(classId, { type: 'chatSettings', room: chatRoom, slowModeSeconds: seconds });
    call.reply(200, { room: chatRoom, slowModeSeconds: seconds });
  });

  api.on('GET', `${BASE}/audit`, async (call) => {
    const { classId, chatRoom } = target(call);
    requireStaff(call.principal, classId, 'read the moderation log');
    const { after, limit } = call.query(pageQuery);
    call.reply(200, { entries: await chatStore.auditLog(classId, chatRoom, after, limit) });
  });

  api.on('PUT', '/api/classes/:classId/chat-mutes/:userId', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requireStaff(call.principal, classId, 'mute people in chat');
    const { muted, minutes } = await call.body(chatMuteBodySchema);
    const root = await room.roots.rootOf(classId);
    const person = room.tracker.person(root, userId) ?? (await room.classes.rosterMember(root, userId));
    if (muted && person && isStaff(person.role)) {
      throw new AppError('forbidden', 'instructors and assistants cannot be muted');
    }
    const until = muted && minutes ? Date.now() + minutes * 60_000 : null;
    const byId = call.principal.kind === 'user' ? call.principal.user.id : 'platform';
    if (muted) await chatStore.mute(root, userId, until, byId);
    else await chatStore.unmute(root, userId);
    for (const where of await room.breakouts.audienceOf(root)) {
      notifier.toUser(where, userId, { type: 'chatMuted', muted, until });
    }
    call.reply(200, { userId, muted, until });
  });
}
