// The class timeline of a session (docs/timeline.md): pages of events in (at, id) order, the activity strip,
// what the replay page opens with, and documents as they were at a moment. Permission checks on the session
// are the routes'; this keeps a caller to the documents they may read.
import {
  type ActivityStripReply,
  DOC_KINDS,
  isStaff,
  type ReplayInfo,
  type ReplayRecording,
  type SessionInfo,
  TIMELINE_KINDS,
  type TimelineEvent,
  type TimelineKind,
  type TimelineQuery,
  type TimelineReply,
} from '@tandem/shared';
import type { ClassRoots } from '../classroom/ClassRoots.ts';
import type { Principal } from '../classroom/principal.ts';
import type { CollabService } from '../collab/CollabService.ts';
import type { SignedUrls } from '../recording/signedUrls.ts';
import type { Storage } from '../storage/Storage.ts';
import { editEvents } from './editEvents.ts';
import { sessionEvents } from './sessionEvents.ts';
import { sessionScope } from './sessionScope.ts';
import { comparePositions, decodeCursor, encodeCursor } from './timelineCursor.ts';

export interface TimelineDeps {
  storage: Pick<
    Storage,
    'attendance' | 'chat' | 'timeline' | 'recordings' | 'breakouts' | 'classes' | 'documents'
  >;
  collab: Pick<CollabService, 'read' | 'locks'>;
  urls: SignedUrls;
  roots: Pick<ClassRoots, 'rootOf'>;
  now?: () => number;
}

export class TimelineService {
  private readonly now: () => number;

  constructor(private readonly deps: TimelineDeps) {
    this.now = deps.now ?? Date.now;
  }

  async page(principal: Principal, session: SessionInfo, query: TimelineQuery): Promise<TimelineReply> {
    const names = await this.names(session);
    const scope = await this.scope(principal, session, names);
    const from = Math.max(scope.from, query.from ?? scope.from);
    const to = Math.min(scope.to, query.to ?? scope.to);
    const wanted = new Set<TimelineKind>(query.kinds?.length ? query.kinds : TIMELINE_KINDS);
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
    if (from > to) return { session: scope.session, events: [], next: null };
    const candidates: TimelineEvent[] = [];
    const others = await sessionEvents(this.deps, { ...scope, from, to }, wanted, names);
    for (const e of others) if (after === null || comparePositions(e, after) > 0) candidates.push(e);
    if (wanted.has('edit')) {
      const edits = await editEvents(
        this.deps.storage.timeline,
        scope,
        { from, to },
        after,
        query.limit + 1,
        names,
      );
      candidates.push(...edits);
    }
    candidates.sort(comparePositions);
    const events = candidates.slice(0, query.limit);
    const last = events.at(-1);
    const next = candidates.length > query.limit && last ? encodeCursor(last) : null;
    return { session: scope.session, events, next };
  }

  async activity(principal: Principal, session: SessionInfo, buckets: number): Promise<ActivityStripReply> {
    const names = await this.names(session);
    const scope = await this.scope(principal, session, names);
    const { from, to } = scope;
    const bucketMs = Math.max(1, Math.ceil((to - from + 1) / buckets));
    const edited = scope.documents.filter((d) => d.kind !== 'chat').map((d) => d.name);
    const edits = edited.length
      ? await this.deps.storage.timeline.activity(edited, from, bucketMs, buckets)
      : new Array<number>(buckets).fill(0);
    const chat = new Array<number>(buckets).fill(0);
    for (const e of await sessionEvents(this.deps, scope, new Set(['chat']), names)) {
      if (e.kind !== 'chat' || e.data.action !== 'posted') continue;
      const bucket = Math.floor((e.at - from) / bucketMs);
      if (bucket >= 0 && bucket < buckets) chat[bucket]!++;
    }
    return { from, to, bucketMs, edits, chat };
  }

  async replayInfo(principal: Principal, session: SessionInfo): Promise<ReplayInfo> {
    const names = await this.names(session);
    const scope = await this.scope(principal, session, names);
    const now = this.now();
    const recordings: ReplayRecording[] = [];
    for (const r of await this.deps.storage.recordings.listBySession(session.id)) {
      if (r.startedAt === null) continue;
      const done = (r.exports ?? []).filter((e) => e.state === 'done' && e.file !== null);
      const newest = done.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))[0];
      recordings.push({
        id: r.id,
        startedAt: r.startedAt,
        stoppedAt: r.stoppedAt,
        video: newest ? this.deps.urls.sign(r.id, newest.id, now) : null,
      });
    }
    const canExport = principal.kind === 'platform' || isStaff(principal.user.role);
    const order = (kind: string) => (DOC_KINDS as readonly string[]).indexOf(kind);
    const documents = [...scope.documents].sort(
      (a, b) => order(a.kind) - order(b.kind) || a.title.localeCompare(b.title) || (a.name < b.name ? -1 : 1),
    );
    return { session: scope.session, documents, recordings, names, canExport };
  }

  private scope(principal: Principal, session: SessionInfo, names: Record<string, string>) {
    const { storage, collab } = this.deps;
    return sessionScope(
      {
        timeline: storage.timeline,
        breakouts: storage.breakouts,
        locks: collab.locks,
        roots: this.deps.roots,
      },
      principal,
      session,
      names,
      this.now(),
    );
  }

  /** Display names of the class roster and the session's attendees (attendance wins: the name used then). */
  private async names(session: SessionInfo): Promise<Record<string, string>> {
    const names = Object.create(null) as Record<string, string>;
    for (const m of await this.deps.storage.classes.roster(session.classId)) names[m.userId] = m.name;
    for (const p of await this.deps.storage.attendance.people(session.id)) names[p.userId] = p.name;
    return names;
  }
}
