// Stores the files staff open in code documents (collab/presence/openFiles.ts) as `file` timeline events, while
// the class (the main class of a breakout group) has a live session: outside one nothing is kept.
import type { TimelineData } from '@tandem/shared';
import type { ClassRoots } from '../classroom/ClassRoots.ts';
import type { OpenFileEvents } from '../collab/presence/openFiles.ts';
import type { SessionStorage } from '../storage/types/sessions.ts';
import type { TimelineStorage } from '../storage/types/timeline.ts';

export function recordFileSwitches(
  openFiles: Pick<OpenFileEvents, 'on'>,
  deps: {
    sessions: Pick<SessionStorage, 'live'>;
    roots: Pick<ClassRoots, 'rootOf'>;
    store: Pick<TimelineStorage, 'record'>;
  },
): () => void {
  return openFiles.on(async (e) => {
    const session = await deps.sessions.live(await deps.roots.rootOf(e.classId));
    if (!session?.startedAt || e.at < Date.parse(session.startedAt)) return;
    const data: TimelineData['file'] = { document: e.document, fileId: e.fileId, name: e.name };
    await deps.store.record({
      classId: e.classId,
      at: e.at,
      kind: 'file',
      actorId: e.user.id,
      // An empty name is unknown here; the timeline fills it from the roster.
      actorName: e.user.name ? e.user.name : null,
      data,
    });
  });
}
