// REST for staff acting on one person, the removed list and the class's student publish policy:
//   GET    /api/classes/<id>/people/<userId>           the person as staff see them (what the menu offers)
//   POST   /api/classes/<id>/people/<userId>/actions   { action: mute | stop-camera | stop-screen |
//                                                        remove-from-call | remove-from-class | grant }
//   GET    /api/classes/<id>/removals                  DELETE /api/classes/<id>/removals/<userId> (let back in)
//   PUT    /api/classes/<id>/publish-policy            { policy }
// Staff only; the shared rules decide who may act on whom. Actions have their own rate limit on top of the
// API's, so a runaway client cannot hammer the media server.
import { personActionBodySchema, publishPolicyBodySchema } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { Classroom } from './Classroom.ts';
import { KeyedLimiter } from './KeyedLimiter.ts';
import type { ActingStaff } from './PersonModeration.ts';
import { type Principal, requireStaff } from './principal.ts';
import type { Api, Call } from './routeKit.ts';

/** Two actions a second, twenty at once: far more than a person clicking a menu. */
const ACTIONS_PER_SEC = 2;
const ACTION_BURST = 20;

export function installModerationRoutes(api: Api, room: Classroom): void {
  const { moderation } = room;
  const limiter = new KeyedLimiter(ACTIONS_PER_SEC, ACTION_BURST, 'too many staff actions; slow down');
  const staffCall = (call: Call, what: string) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, what);
    return { classId, actor: actingStaff(call.principal) };
  };
  const limited = (actor: ActingStaff, classId: string) => limiter.take(`${classId}:${actor.userId}`);

  api.on('GET', '/api/classes/:classId/people/:userId', async (call) => {
    const { classId } = staffCall(call, 'see how a person takes part');
    call.reply(200, { person: await moderation.state(classId, call.param('userId')) });
  });

  api.on('POST', '/api/classes/:classId/people/:userId/actions', async (call) => {
    const { classId, actor } = staffCall(call, 'act on a person');
    const userId = call.param('userId');
    const body = await call.body(personActionBodySchema);
    limited(actor, classId);
    call.reply(200, await moderation.act(actor, classId, userId, body));
  });

  api.on('GET', '/api/classes/:classId/removals', async (call) => {
    const { classId } = staffCall(call, 'see who was removed');
    call.reply(200, { removed: await moderation.removed(classId) });
  });

  api.on('DELETE', '/api/classes/:classId/removals/:userId', async (call) => {
    const { classId, actor } = staffCall(call, 'let people back in');
    const userId = call.param('userId');
    limited(actor, classId);
    if (!(await moderation.letBackIn(actor, classId, userId)))
      throw new AppError('not_found', `${userId} is not removed from this class`);
    call.reply(200, { userId, removed: false });
  });

  api.on('PUT', '/api/classes/:classId/publish-policy', async (call) => {
    const { classId, actor } = staffCall(call, 'change what students may share in the call');
    const { policy } = await call.body(publishPolicyBodySchema);
    limited(actor, classId);
    const producersClosed = moderation.setPublishPolicy(actor, classId, policy);
    call.reply(200, { policy, producersClosed });
  });
}

function actingStaff(principal: Principal): ActingStaff {
  if (principal.kind === 'platform')
    return { userId: 'platform', role: 'instructor', name: 'the course platform' };
  const { id, role, name } = principal.user;
  return { userId: id, role, name };
}
