// Installs the classroom into the app: classes, sessions, chat, hands, live controls, attendance, breakout
// rooms, acting on one person, each person's notifications and polls over REST, with class notices pushed on the collaboration connections.
import type { AppContext } from '../app.ts';
import { MediaService, mediaServiceOf } from '../media/index.ts';
import { installPollRoutes } from '../polls/pollRoutes.ts';
import { installBreakoutRoutes } from './breakoutRoutes.ts';
import { type Classroom, createClassroom } from './Classroom.ts';
import { installChatRoutes } from './chatRoutes.ts';
import { installClassRoutes } from './classRoutes.ts';
import { installControlRoutes } from './controlRoutes.ts';
import { installModerationRoutes } from './moderationRoutes.ts';
import { installNotificationRoutes } from './notificationRoutes.ts';
import { createApi } from './routeKit.ts';
import { installSessionRoutes } from './sessionRoutes.ts';

export type { Classroom };

const installed = new WeakMap<AppContext, Classroom>();

/** The classroom installed into this app (tests reach its services through it). */
export function classroomOf(ctx: AppContext): Classroom | undefined {
  return installed.get(ctx);
}

/** Call after installMedia: the classroom mutes, closes and listens to class media through it. */
export async function installClassroom(ctx: AppContext): Promise<Classroom> {
  const media = mediaServiceOf(ctx) ?? MediaService.unavailable('media is not installed');
  const room = await createClassroom(ctx, media);
  const api = createApi(ctx.router, room.auth, ctx.removals);
  installClassRoutes(api, room, ctx.config.recording.studentsMayWatch);
  installSessionRoutes(api, room);
  installChatRoutes(api, room);
  installControlRoutes(api, room);
  installBreakoutRoutes(api, room);
  installModerationRoutes(api, room);
  installNotificationRoutes(api, room);
  installPollRoutes(api, room);
  await room.polls.start();
  ctx.onShutdown(() => room.polls.stop(), 20);
  // Before the collaboration service closes its sockets and the database goes.
  ctx.onShutdown(() => room.recorder.stop(), 20);
  installed.set(ctx, room);
  return room;
}
