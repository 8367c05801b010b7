// REST for exercises and personal workspaces (WorkspaceService.ts):
//   GET  /api/classes/<id>/handout                        the current starter (anyone in the class)
//   POST /api/classes/<id>/handout                        hand out (staff) { source, fileIds? | files, replace? }
//   GET  /api/classes/<id>/workspaces                     every student's workspace (staff: the wall)
//   POST /api/classes/<id>/workspaces/<userId>/open       receive the hand-out on first open (the owner, staff)
//   POST /api/classes/<id>/workspaces/<userId>/reset      back to the starter, work saved first (staff)
// Each runs in the classroom API frame (routeKit.ts: auth, removal check, rate limit); hand-outs, resets and
// lists have their own tighter limits on top, since each loads many workspaces or reads a whole class's.
// A breakout group's id works on its main class (WorkspaceService).
import { HANDOUT_MAX_BODY_BYTES, handoutBodySchema, type WorkspacesReply } from '@tandem/shared';
import { actorOf } from '../classroom/HandService.ts';
import { KeyedLimiter } from '../classroom/KeyedLimiter.ts';
import type { Principal } from '../classroom/principal.ts';
import { isStaffPrincipal, requireMember, requireStaff } from '../classroom/principal.ts';
import type { Api } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceService } from './WorkspaceService.ts';

/** A hand-out fills every student's workspace: a few a minute, with room for a few in a row. */
const HANDOUTS_PER_SEC = 0.05;
const HANDOUT_BURST = 10;
/** A reset saves and refills one workspace: staff going down a row of tiles. */
const RESETS_PER_SEC = 0.5;
const RESET_BURST = 10;
/** The wall reloads its list every 15 s; a list reads the class's receipts and edit times. */
const LISTS_PER_SEC = 1;
const LIST_BURST = 10;

export function installWorkspaceRoutes(api: Api, workspaces: WorkspaceService): void {
  const handouts = new KeyedLimiter(HANDOUTS_PER_SEC, HANDOUT_BURST, 'too many hand-outs; wait a minute');
  const resets = new KeyedLimiter(RESETS_PER_SEC, RESET_BURST, 'too many resets; slow down');
  const lists = new KeyedLimiter(LISTS_PER_SEC, LIST_BURST, 'too many workspace lists; slow down');
  const callerKey = (p: Principal) => (p.kind === 'platform' ? 'platform' : `${p.user.classId}:${p.user.id}`);

  api.on('GET', '/api/classes/:classId/handout', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    call.reply(200, { handout: await workspaces.current(classId) });
  });

  api.on('POST', '/api/classes/:classId/handout', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'hand out exercises');
    handouts.take(callerKey(call.principal));
    const body = await call.body(handoutBodySchema, HANDOUT_MAX_BODY_BYTES);
    const from =
      body.source === 'template'
        ? { source: 'template' as const, files: body.files }
        : { source: 'class' as const, fileIds: body.fileIds };
    call.reply(201, await workspaces.handOut(classId, from, body.replace, actorOf(call.principal)));
  });

  api.on('GET', '/api/classes/:classId/workspaces', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, "see students' workspaces");
    lists.take(callerKey(call.principal));
    const reply: WorkspacesReply = {
      handout: await workspaces.current(classId),
      workspaces: await workspaces.list(classId),
    };
    call.reply(200, reply);
  });

  api.on('POST', '/api/classes/:classId/workspaces/:userId/open', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requireMember(call.principal, classId);
    const own = call.principal.kind === 'user' && call.principal.user.id === userId;
    if (!own && !isStaffPrincipal(call.principal)) {
      throw new AppError('forbidden', 'a student may open only their own workspace');
    }
    if (own && call.principal.kind === 'user' && call.principal.user.role === 'observer') {
      throw new AppError('forbidden', 'observers have no workspace');
    }
    call.reply(200, await workspaces.open(classId, userId, actorOf(call.principal), own));
  });

  api.on('POST', '/api/classes/:classId/workspaces/:userId/reset', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requireStaff(call.principal, classId, "reset students' workspaces");
    resets.take(callerKey(call.principal));
    call.reply(200, await workspaces.reset(classId, userId, actorOf(call.principal)));
  });
}
