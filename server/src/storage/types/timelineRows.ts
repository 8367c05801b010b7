// The timeline_events row as both engines read it (same columns on SQLite and PostgreSQL), and its mapping.
import type { TimelineRow } from './timeline.ts';

export interface TimelineEventRow {
  id: number;
  class_id: string;
  at: number;
  kind: string;
  actor_id: string | null;
  actor_name: string | null;
  data: string;
}

export const toTimelineRow = (r: TimelineEventRow): TimelineRow => ({
  id: r.id,
  classId: r.class_id,
  at: r.at,
  kind: r.kind,
  actorId: r.actor_id,
  actorName: r.actor_name,
  data: JSON.parse(r.data) as unknown,
});
