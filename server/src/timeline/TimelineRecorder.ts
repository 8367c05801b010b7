// Stores the class events the timeline has no other record of (announcements, lock switches, follow-me and
// spotlight) in timeline_events, each with the `data` of its timeline kind (shared/src/timeline.ts).
import type { TimelineData } from '@tandem/shared';
import type { ClassEvents } from '../classroom/ClassEvents.ts';
import type { TimelineStorage } from '../storage/types/timeline.ts';

type Actor = { id: string | null; name: string } | null;

export function recordTimelineEvents(
  events: Pick<ClassEvents, 'on'>,
  store: Pick<TimelineStorage, 'record'>,
) {
  const record = <K extends 'announcement' | 'lock' | 'follow'>(
    kind: K,
    classId: string,
    at: number,
    by: Actor,
    data: TimelineData[K],
  ) =>
    store.record({
      classId,
      at,
      kind,
      actorId: by?.id ?? null,
      // An empty name is unknown here; the timeline fills it from the roster.
      actorName: by?.name ? by.name : null,
      data,
    });
  const stops = [
    events.on('announcement', (e) => record('announcement', e.classId, e.at, e.by, { text: e.text })),
    events.on('lockChanged', (e) =>
      record('lock', e.classId, e.at, e.by, { target: e.target, locked: e.locked }),
    ),
    events.on('followChanged', (e) =>
      record('follow', e.classId, e.at, e.by, {
        mode: e.mode,
        action: e.action,
        document: e.document,
      }),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
