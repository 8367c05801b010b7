// REST for polls and quizzes (a main class's; breakout pages use their main class's):
//   GET  /api/classes/<id>/polls          POST /api/classes/<id>/polls      { definition, launch? }
//   GET  /api/polls/<pid>                 PUT  /api/polls/<pid>              DELETE /api/polls/<pid>   (drafts)
//   POST /api/polls/<pid>/launch          POST /api/polls/<pid>/close        POST /api/polls/<pid>/show { shown }
//   PUT  /api/polls/<pid>/answers         GET  /api/polls/<pid>/results      PUT  /api/polls/<pid>/marks
//   GET  /api/sessions/<sid>/polls
// Staff (class token of an instructor or assistant, or a server API key) run polls; students answer; observers
// watch. Each caller gets the view their role may see (pollView.ts). Own rate limits on top of the API's.
import {
  createPollBodySchema,
  isStaff,
  markPollAnswerBodySchema,
  POLL_MAX_BODY_BYTES,
  pollAnswersBodySchema,
  showPollBodySchema,
  updatePollBodySchema,
} from '@tandem/shared';
import type { Classroom } from '../classroom/Classroom.ts';
import { actorOf } from '../classroom/HandService.ts';
import { KeyedLimiter } from '../classroom/KeyedLimiter.ts';
import { isStaffPrincipal, type Principal, requireMember, requireStaff } from '../classroom/principal.ts';
import type { Api, Call } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import type { PollRecord } from '../storage/types/polls.ts';
import { viewerOf } from './pollView.ts';

/** Staff create, launch and close by clicking; a script creating polls ahead of time stays far below. */
export const POLL_STAFF_CALLS_PER_SEC = 2;
export const POLL_STAFF_CALL_BURST = 30;
/** A student changes an answer by clicking; an answer per keystroke would be refused. */
export const POLL_ANSWERS_PER_SEC = 2;
export const POLL_ANSWER_BURST = 10;

export function installPollRoutes(api: Api, room: Pick<Classroom, 'roots' | 'polls' | 'sessions'>): void {
  const { polls, roots } = room;
  const staffLimiter = new KeyedLimiter(
    POLL_STAFF_CALLS_PER_SEC,
    POLL_STAFF_CALL_BURST,
    'too many poll changes; slow down',
  );
  const answerLimiter = new KeyedLimiter(
    POLL_ANSWERS_PER_SEC,
    POLL_ANSWER_BURST,
    'too many answers; slow down',
  );
  const callerKey = (p: Principal) => (p.kind === 'user' ? `${p.user.classId}:${p.user.id}` : 'platform');

  /** The poll, if the caller belongs to its class (a breakout group's token counts for its main class). */
  const pollFor = async (call: Call): Promise<PollRecord> => {
    const poll = await polls.require(call.param('pollId'));
    if (
      call.principal.kind === 'user' &&
      (await roots.rootOf(call.principal.user.classId)) !== poll.classId
    ) {
      throw new AppError('forbidden', 'this token is for another class');
    }
    // Drafts prepared ahead of time are staff's until launched.
    if (poll.state === 'draft' && !isStaffPrincipal(call.principal)) {
      throw new AppError('not_found', `no poll ${poll.id}`);
    }
    return poll;
  };
  const staffPoll = async (call: Call, what: string): Promise<PollRecord> => {
    const poll = await pollFor(call);
    if (!isStaffPrincipal(call.principal))
      throw new AppError('forbidden', `only instructors and assistants can ${what}`);
    staffLimiter.take(callerKey(call.principal));
    return poll;
  };
  const reply = async (call: Call, status: number, poll: PollRecord) =>
    call.reply(status, { poll: await polls.view(poll, viewerOf(call.principal)) });

  api.on('GET', '/api/classes/:classId/polls', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    const root = await roots.rootOf(classId);
    const viewer = viewerOf(call.principal);
    const list =
      viewer.kind === 'staff'
        ? await polls.views(await polls.list(root), viewer)
        : await polls.visible(root, viewer);
    call.reply(200, { polls: list });
  });

  api.on('POST', '/api/classes/:classId/polls', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'create polls');
    staffLimiter.take(callerKey(call.principal));
    const body = await call.body(createPollBodySchema, POLL_MAX_BODY_BYTES);
    const root = await roots.rootOf(classId);
    const byId = call.principal.kind === 'user' ? call.principal.user.id : null;
    let poll = await polls.create(root, body.definition, byId);
    if (body.launch) poll = await polls.launch(poll.id, byId);
    await reply(call, 201, poll);
  });

  api.on('GET', '/api/polls/:pollId', async (call) => {
    await reply(call, 200, await pollFor(call));
  });

  api.on('PUT', '/api/polls/:pollId', async (call) => {
    const poll = await staffPoll(call, 'edit polls');
    const { definition } = await call.body(updatePollBodySchema, POLL_MAX_BODY_BYTES);
    await reply(call, 200, await polls.update(poll.id, definition, byIdOf(call.principal)));
  });

  api.on('DELETE', '/api/polls/:pollId', async (call) => {
    const poll = await staffPoll(call, 'delete polls');
    await polls.remove(poll, byIdOf(call.principal));
    call.reply(200, { deleted: poll.id });
  });

  api.on('POST', '/api/polls/:pollId/launch', async (call) => {
    const poll = await staffPoll(call, 'launch polls');
    await reply(call, 200, await polls.launch(poll.id, byIdOf(call.principal)));
  });

  api.on('POST', '/api/polls/:pollId/close', async (call) => {
    const poll = await staffPoll(call, 'close polls');
    if (poll.state === 'draft') throw new AppError('conflict', 'the poll was never launched');
    await polls.close(poll.id, 'staff', byIdOf(call.principal));
    await reply(call, 200, await polls.require(poll.id));
  });

  api.on('POST', '/api/polls/:pollId/show', async (call) => {
    const poll = await staffPoll(call, 'show poll results');
    const { shown } = await call.body(showPollBodySchema);
    await reply(call, 200, await polls.show(poll.id, shown, byIdOf(call.principal)));
  });

  api.on('PUT', '/api/polls/:pollId/answers', async (call) => {
    const poll = await pollFor(call);
    if (call.principal.kind !== 'user') {
      throw new AppError('forbidden', 'answering needs the class token of a student');
    }
    const { user } = call.principal;
    if (user.role === 'observer') throw new AppError('forbidden', 'observers can watch polls but not answer');
    if (isStaff(user.role))
      throw new AppError('forbidden', 'instructors and assistants run polls; students answer');
    answerLimiter.take(`${poll.id}:${user.id}`);
    const body = await call.body(pollAnswersBodySchema, POLL_MAX_BODY_BYTES);
    await polls.answer(poll, user, body);
    await reply(call, 200, await polls.require(poll.id));
  });

  api.on('GET', '/api/polls/:pollId/results', async (call) => {
    const poll = await pollFor(call);
    const view = await polls.view(poll, viewerOf(call.principal));
    if (!view.results) throw new AppError('forbidden', 'the results are not shown to the class yet');
    call.reply(200, { pollId: poll.id, state: poll.state, results: view.results });
  });

  api.on('PUT', '/api/polls/:pollId/marks', async (call) => {
    const poll = await staffPoll(call, 'mark answers');
    const body = await call.body(markPollAnswerBodySchema);
    await polls.mark(poll, body.question, body.userId, body.correct);
    await reply(call, 200, await polls.require(poll.id));
  });

  api.on('GET', '/api/sessions/:sessionId/polls', async (call) => {
    const session = await room.sessions.require(call.param('sessionId'));
    requireStaff(call.principal, session.classId, 'see poll results');
    call.reply(200, { polls: await polls.views(await polls.ofSession(session.id), { kind: 'staff' }) });
  });
}

function byIdOf(principal: Principal): string | null {
  return principal.kind === 'user' ? actorOf(principal).id : null;
}
