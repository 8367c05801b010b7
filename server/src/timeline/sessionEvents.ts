// The events of a session other than document edits, from where each fact is stored with its time: the
// session row, attendance intervals (presence), chat rooms and their audit (chatEvents.ts), hands, breakout
// sets, polls, recordings, and the timeline's own table (announcements, locks, follow-me and spotlight, files
// staff opened).
// These are few (people, messages, clicks), so each is read whole for the session and filtered here.
import {
  type RecordingManifest,
  readChatMessages,
  type TimelineActor,
  type TimelineData,
  type TimelineEvent,
  type TimelineKind,
} from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import type { Storage } from '../storage/Storage.ts';
import type { AuditEntry } from '../storage/types/chat.ts';
import { chatEvents } from './chatEvents.ts';
import type { SessionScope } from './sessionScope.ts';

/** Audit entries read per page, and at most per room. */
const AUDIT_PAGE = 1000;
const MAX_AUDIT_PER_ROOM = 50_000;
/** Stored timeline rows read per session at most (a click each: far above a class's). */
const MAX_STORED_EVENTS = 100_000;

export interface EventSources {
  storage: Pick<Storage, 'attendance' | 'chat' | 'timeline' | 'recordings' | 'breakouts'>;
  collab: Pick<CollabService, 'read'>;
}

/** Kinds stored in timeline_events (the rest are derived). */
const STORED_KINDS = new Set<TimelineKind>(['announcement', 'lock', 'follow', 'file']);

export async function sessionEvents(
  sources: EventSources,
  scope: SessionScope,
  wanted: ReadonlySet<TimelineKind>,
  names: Record<string, string>,
): Promise<TimelineEvent[]> {
  const { storage } = sources;
  const { session, from, to } = scope;
  const events: TimelineEvent[] = [];
  const inRange = (at: number | null): at is number => at !== null && at >= from && at <= to;
  const actor = (id: string | null) => (id === null ? null : { id, name: names[id] ?? null });
  const push = <K extends TimelineKind>(
    kind: K,
    id: string,
    at: number,
    who: TimelineEvent['actor'],
    data: TimelineData[K],
  ) => events.push({ id: `${kind}:${id}`, at, kind, actor: who, data } as TimelineEvent);

  if (wanted.has('session')) {
    if (inRange(session.startedAt)) push('session', 'start', session.startedAt, null, { action: 'started' });
    if (inRange(session.endedAt)) push('session', 'end', session.endedAt, null, { action: 'ended' });
  }
  if (wanted.has('presence')) {
    const people = new Map((await storage.attendance.people(session.id)).map((p) => [p.userId, p]));
    for (const interval of await storage.attendance.intervals(session.id)) {
      const person = people.get(interval.userId);
      const base = {
        userId: interval.userId,
        name: person?.name ?? names[interval.userId] ?? interval.userId,
        role: person?.role ?? 'student',
      };
      const who = { id: interval.userId, name: base.name };
      const key = `${interval.userId}:${interval.joinedAt}`;
      if (inRange(interval.joinedAt))
        push('presence', `${key}:j`, interval.joinedAt, who, { action: 'joined', ...base });
      if (inRange(interval.leftAt))
        push('presence', `${key}:l`, interval.leftAt, who, { action: 'left', ...base });
    }
  }
  if (wanted.has('chat')) {
    for (const doc of scope.documents) {
      if (doc.kind !== 'chat') continue;
      const [classId, , room] = doc.name.split('/') as [string, string, string];
      const messages = await sources.collab.read(doc.name, (ydoc) => readChatMessages(ydoc));
      const audit = await readAudit(storage.chat, classId, room);
      events.push(...chatEvents({ document: doc.name, room, messages, audit }, from, to));
    }
  }
  if (wanted.has('hand')) {
    for (const hand of await storage.timeline.hands(session.classId, session.id)) {
      const who = { id: hand.userId, name: hand.name };
      if (inRange(hand.raisedAt)) {
        push('hand', `${hand.id}:r`, hand.raisedAt, who, {
          action: 'raised',
          userId: hand.userId,
          name: hand.name,
        });
      }
      if (inRange(hand.loweredAt)) {
        push('hand', `${hand.id}:l`, hand.loweredAt, actor(hand.loweredBy) ?? who, {
          action: 'lowered',
          userId: hand.userId,
          name: hand.name,
        });
      }
    }
  }
  if (wanted.has('breakout')) {
    for (const set of await storage.timeline.breakoutSets(session.id)) {
      const groups = (await storage.breakouts.groups(set.id)).map((g) => ({
        classId: g.classId,
        name: g.name,
      }));
      const setId = String(set.id);
      if (inRange(set.createdAt)) {
        push('breakout', `${set.id}:o`, set.createdAt, actor(set.createdBy), {
          action: 'opened',
          setId,
          groups,
        });
      }
      if (inRange(set.closedAt))
        push('breakout', `${set.id}:c`, set.closedAt, null, { action: 'closed', setId, groups });
    }
  }
  if (wanted.has('poll')) {
    for (const poll of await storage.timeline.polls(session.id)) {
      const title = pollTitle(poll.definition);
      if (inRange(poll.openedAt)) {
        push('poll', `${poll.id}:s`, poll.openedAt, actor(poll.createdBy), {
          action: 'started',
          pollId: poll.id,
          title,
        });
      }
      if (inRange(poll.closedAt))
        push('poll', `${poll.id}:c`, poll.closedAt, null, { action: 'closed', pollId: poll.id, title });
    }
  }
  if (wanted.has('recording')) {
    for (const r of await storage.recordings.listBySession(session.id)) {
      if (inRange(r.startedAt)) {
        push('recording', `${r.id}:s`, r.startedAt, actor(r.startedBy), {
          action: 'started',
          recordingId: r.id,
        });
      }
      if (inRange(r.stoppedAt))
        push('recording', `${r.id}:e`, r.stoppedAt, null, { action: 'stopped', recordingId: r.id });
      for (const segment of trackSegments(r)) {
        const { id, at, person, data } = segment;
        if (inRange(at)) push('recording', id, at, person, data);
      }
    }
  }
  if ([...STORED_KINDS].some((k) => wanted.has(k))) {
    const classIds = scope.classes.map((c) => c.classId);
    for (const row of await storage.timeline.events(classIds, from, to, MAX_STORED_EVENTS)) {
      if (!STORED_KINDS.has(row.kind as TimelineKind) || !wanted.has(row.kind as TimelineKind)) continue;
      // A file someone opened is seen by those who may read its document (a student: the class code).
      if (row.kind === 'file' && !(await scope.mayRead((row.data as TimelineData['file']).document)))
        continue;
      const who =
        row.actorId === null && row.actorName === null
          ? null
          : {
              id: row.actorId,
              name: row.actorName ?? (row.actorId === null ? null : (names[row.actorId] ?? null)),
            };
      events.push({
        id: `${row.kind}:${String(row.id).padStart(12, '0')}`,
        at: row.at,
        kind: row.kind,
        actor: who,
        data: row.data,
      } as TimelineEvent);
    }
  }
  return events;
}

/**
 * Each segment of each track of a recording, from its manifest: a `trackStarted` at its start and a
 * `trackEnded` at its end (none while it is being written).
 */
function trackSegments(r: RecordingManifest) {
  const out: {
    id: string;
    at: number;
    person: TimelineActor;
    data: TimelineData['recording'];
  }[] = [];
  if (r.startedAt === null) return out;
  for (const track of r.tracks) {
    const person = { id: track.userId, name: track.name };
    for (const segment of track.segments) {
      const base = {
        recordingId: r.id,
        trackId: track.id,
        segmentId: segment.id,
        userId: track.userId,
        name: track.name,
        source: track.source,
        kind: track.kind,
      };
      const key = `${r.id}:${track.id}:${segment.id}`;
      out.push({
        id: `${key}:s`,
        at: r.startedAt + segment.startOffsetMs,
        person,
        data: { action: 'trackStarted', ...base, reason: null },
      });
      if (segment.endOffsetMs !== null) {
        out.push({
          id: `${key}:e`,
          at: r.startedAt + segment.endOffsetMs,
          person,
          data: { action: 'trackEnded', ...base, reason: segment.endReason },
        });
      }
    }
  }
  return out;
}

async function readAudit(chat: Storage['chat'], classId: string, room: string): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for (let after = 0; all.length < MAX_AUDIT_PER_ROOM; ) {
    const page = await chat.auditLog(classId, room, after, AUDIT_PAGE);
    all.push(...page);
    if (page.length < AUDIT_PAGE) break;
    after = page.at(-1)!.id;
  }
  return all;
}

function pollTitle(definition: string): string {
  try {
    const parsed = JSON.parse(definition) as { title?: unknown };
    return typeof parsed.title === 'string' ? parsed.title : '';
  } catch {
    return '';
  }
}
