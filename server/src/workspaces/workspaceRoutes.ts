// REST for exercises and personal workspaces (WorkspaceService.ts):
//   GET  /api/classes/<id>/handout                        the current starter (anyone in the class)
//   POST /api/classes/<id>/handout                        hand out (staff) { source, fileIds? | files, replace? }
//   GET  /api/classes/<id>/workspaces                     every student's workspace (staff: the wall)
//   POST /api/classes/<id>/workspaces/<userId>/open       receive the hand-out on first open (the owner, staff)
//   POST /api/classes/<id>/workspaces/<userId>/reset      back to the starter, work saved first (staff)
import { HANDOUT_MAX_BODY_BYTES, handoutBodySchema, type WorkspacesReply } from '@tandem/shared';
import { actorOf } from '../classroom/HandService.ts';
import { isStaffPrincipal, requireMember, requireStaff } from '../classroom/principal.ts';
import type { Api } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import type { WorkspaceService } from './WorkspaceService.ts';

export function installWorkspaceRoutes(api: Api, workspaces: WorkspaceService): void {
  api.on('GET', '/api/classes/:classId/handout', async (call) => {
    const classId = call.param('classId');
    requireMember(call.principal, classId);
    call.reply(200, { handout: await workspaces.current(classId) });
  });

  api.on('POST', '/api/classes/:classId/handout', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'hand out exercises');
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
    call.reply(200, await workspaces.open(classId, userId, actorOf(call.principal)));
  });

  api.on('POST', '/api/classes/:classId/workspaces/:userId/reset', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requireStaff(call.principal, classId, "reset students' workspaces");
    call.reply(200, await workspaces.reset(classId, userId, actorOf(call.principal)));
  });
}
