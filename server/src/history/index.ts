// Installs history and attribution: blame, workspace activity and workspace export (historyRoutes.ts), in the
// classroom API frame so they share its authentication, removal check and rate limit.
import type { AppContext } from '../app.ts';
import type { Classroom } from '../classroom/Classroom.ts';
import { createApi } from '../classroom/routeKit.ts';
import type { DocumentSeeker } from '../timeline/DocumentSeeker.ts';
import { installHistoryRoutes } from './historyRoutes.ts';

export function installHistory(
  ctx: AppContext,
  classroom: Pick<Classroom, 'auth'>,
  seeker: Pick<DocumentSeeker, 'stateAt'>,
): void {
  installHistoryRoutes(createApi(ctx.router, classroom.auth, ctx.removals), { ...ctx, seeker });
}
