// Installs the class timeline (docs/timeline.md): the recorders of what it has no other record of (class events,
// the files staff open) and the REST routes in the classroom API frame, over the document seeker app.ts made
// (its checkpoint writer is a collaboration extension).
import type { AppContext } from '../app.ts';
import type { Classroom } from '../classroom/Classroom.ts';
import { createApi } from '../classroom/routeKit.ts';
import type { SignedUrls } from '../recording/signedUrls.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';
import { recordFileSwitches } from './fileSwitchRecorder.ts';
import { recordTimelineEvents } from './TimelineRecorder.ts';
import { TimelineService } from './TimelineService.ts';
import { installTimelineRoutes } from './timelineRoutes.ts';

export interface TimelineParts {
  seeker: DocumentSeeker;
  service: TimelineService;
}

export function installTimeline(
  ctx: AppContext,
  classroom: Pick<Classroom, 'auth' | 'events'>,
  deps: { urls: SignedUrls; seeker: DocumentSeeker },
): TimelineParts {
  const { storage, collab, roots } = ctx;
  const { seeker } = deps;
  const stopEvents = recordTimelineEvents(classroom.events, storage.timeline);
  const stopFiles = recordFileSwitches(collab.openFiles, {
    sessions: storage.sessions,
    roots,
    store: storage.timeline,
  });
  const service = new TimelineService({ storage, collab, urls: deps.urls, roots });
  installTimelineRoutes(createApi(ctx.router, classroom.auth, ctx.removals), {
    service,
    seeker,
    storage,
    collab,
    roots,
    studentsMayReplayByDefault: ctx.config.recording.studentsMayWatch,
  });
  // Before the database closes: checkpoint writes under way finish.
  ctx.onShutdown(async () => {
    stopEvents();
    stopFiles();
    await seeker.idle();
  }, 40);
  return { seeker, service };
}
