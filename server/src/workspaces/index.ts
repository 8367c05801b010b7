// Installs exercises and personal workspaces: the WorkspaceService over the app's storage and collaboration
// service, with the classroom's roster and presence, and its REST routes.
import type { AppContext } from '../app.ts';
import type { Classroom } from '../classroom/Classroom.ts';
import { createApi } from '../classroom/routeKit.ts';
import { WorkspaceService } from './WorkspaceService.ts';
import { installWorkspaceRoutes } from './workspaceRoutes.ts';

export function installWorkspaces(
  ctx: AppContext,
  room: Pick<Classroom, 'auth' | 'classes' | 'tracker' | 'roots' | 'nameOf'>,
): WorkspaceService {
  const workspaces = new WorkspaceService({
    collab: ctx.collab,
    handouts: ctx.storage.handouts,
    classes: room.classes,
    presentStudents: (root) => room.tracker.present(root).filter((p) => p.role === 'student'),
    rootOf: (classId) => room.roots.rootOf(classId),
    ownerLastEdits: (prefix) => ctx.storage.editSpans.ownerLastEdits(prefix),
    nameOf: room.nameOf,
    log: ctx.log.child({ mod: 'workspaces' }),
  });
  installWorkspaceRoutes(createApi(ctx.router, room.auth, ctx.removals), workspaces);
  return workspaces;
}
