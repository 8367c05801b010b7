// REST for the class timeline (docs/timeline.md, docs/api.md "Timeline and replay"):
//   GET /api/sessions/<sid>/timeline?kinds=&from=&to=&cursor=&limit=   events in (at, id) order, paged
//   GET /api/sessions/<sid>/timeline/activity?buckets=                  edits and chat messages per bucket
//   GET /api/sessions/<sid>/replay                                      what the replay page opens with
//   GET /api/documents/<class>/<kind>/<key>/at?t=&content=               a document as it was at t
//   GET /api/documents/<class>/<kind>/<key>/updates?after=&until=&limit=  logged updates (not for chat)
// Sessions: staff and platforms, students and observers when the class allows replay (replayAccess.ts).
// Documents: whoever may read the document now, with the same replay rule for students and observers.
import {
  activityStripQuerySchema,
  DOC_KINDS,
  type DocumentName,
  type DocumentUpdatesReply,
  documentAtQuerySchema,
  documentUpdatesQuerySchema,
  parseDocumentName,
  timelineQuerySchema,
} from '@tandem/shared';
import type { ClassRoots } from '../classroom/ClassRoots.ts';
import { KeyedLimiter } from '../classroom/KeyedLimiter.ts';
import { isStaffPrincipal, type Principal, requireMember } from '../classroom/principal.ts';
import { studentsMayReplay } from '../classroom/replayAccess.ts';
import type { Api, Call } from '../classroom/routeKit.ts';
import type { CollabService } from '../collab/CollabService.ts';
import { AppError } from '../errors.ts';
import type { Storage } from '../storage/Storage.ts';
import type { DocumentSeeker } from './DocumentSeeker.ts';
import { documentAt } from './documentAt.ts';
import { mayRead } from './sessionScope.ts';
import type { TimelineService } from './TimelineService.ts';

/** Timeline pages and the replay page's openings read a whole session: a few a second is plenty. */
const PAGES_PER_SEC = 4;
const PAGE_BURST = 40;
/** Seeks follow a scrubbing hand; the page is expected to debounce. */
const SEEKS_PER_SEC = 10;
const SEEK_BURST = 50;
/** How far past the server's clock a `t` or `until` may point (a client clock a little ahead). */
export const MAX_FUTURE_MS = 24 * 3_600_000;

export interface TimelineRouteDeps {
  service: TimelineService;
  seeker: DocumentSeeker;
  storage: Pick<Storage, 'sessions' | 'classes' | 'timeline'>;
  collab: Pick<CollabService, 'read' | 'locks'>;
  roots: Pick<ClassRoots, 'rootOf'>;
  /** RECORDINGS_STUDENTS_MAY_WATCH: the default of a class's replayForStudents. */
  studentsMayReplayByDefault: boolean;
}

export function installTimelineRoutes(api: Api, deps: TimelineRouteDeps): void {
  const { service, seeker, storage } = deps;
  const pages = new KeyedLimiter(PAGES_PER_SEC, PAGE_BURST, 'too many timeline requests; slow down');
  const seeks = new KeyedLimiter(SEEKS_PER_SEC, SEEK_BURST, 'too many seeks; wait a moment between them');
  const callerKey = (p: Principal) => (p.kind === 'platform' ? 'platform' : `${p.user.classId}:${p.user.id}`);

  /** Students and observers replay a class only when it allows it (its main class's setting). */
  const requireReplay = async (p: Principal, classId: string) => {
    if (isStaffPrincipal(p)) return;
    const root = await deps.roots.rootOf(classId);
    if (studentsMayReplay(await storage.classes.get(root), deps.studentsMayReplayByDefault)) return;
    throw new AppError('forbidden', 'only instructors and assistants can replay sessions of this class');
  };

  const replayableSession = async (call: Call) => {
    const session = await storage.sessions.require(call.param('sessionId'));
    requireMember(call.principal, session.classId);
    await requireReplay(call.principal, session.classId);
    pages.take(callerKey(call.principal));
    return session;
  };

  api.on('GET', '/api/sessions/:sessionId/timeline', async (call) => {
    const query = call.query(timelineQuerySchema);
    const session = await replayableSession(call);
    call.reply(200, await service.page(call.principal, session, query));
  });

  api.on('GET', '/api/sessions/:sessionId/timeline/activity', async (call) => {
    const { buckets } = call.query(activityStripQuerySchema);
    const session = await replayableSession(call);
    call.reply(200, await service.activity(call.principal, session, buckets));
  });

  api.on('GET', '/api/sessions/:sessionId/replay', async (call) => {
    const session = await replayableSession(call);
    call.reply(200, await service.replayInfo(call.principal, session));
  });

  /** The document named by the path, if the caller may read it now and replay its class. */
  const replayableDocument = async (call: Call): Promise<{ name: string; parsed: DocumentName }> => {
    const kind = call.rc.params.kind ?? '';
    if (!(DOC_KINDS as readonly string[]).includes(kind)) {
      throw new AppError('bad_request', `unknown document kind ${kind.slice(0, 20)}`);
    }
    const name = `${call.param('classId')}/${kind}/${call.param('key')}`;
    const parsed = parseDocumentName(name);
    if (!parsed.ok) throw new AppError('bad_request', parsed.reason);
    const p = call.principal;
    if (!(await mayRead(p, name, { locks: deps.collab.locks, roots: deps.roots }))) {
      if (p.kind === 'user' && p.user.classId !== parsed.value.classId) {
        throw new AppError('forbidden', `this token is for another class; you may not read ${name}`);
      }
      throw new AppError('forbidden', `you may not read ${name}`);
    }
    await requireReplay(p, parsed.value.classId);
    seeks.take(callerKey(p));
    return { name, parsed: parsed.value };
  };

  api.on('GET', '/api/documents/:classId/:kind/:key/at', async (call) => {
    const { t, content } = call.query(documentAtQuerySchema);
    requireNotFarAhead('t', t);
    const { name, parsed } = await replayableDocument(call);
    call.reply(200, await documentAt(seeker, deps.collab, name, parsed, t, content));
  });

  api.on('GET', '/api/documents/:classId/:kind/:key/updates', async (call) => {
    const { after, until, limit } = call.query(documentUpdatesQuerySchema);
    if (until !== undefined) requireNotFarAhead('until', until);
    const { name, parsed } = await replayableDocument(call);
    if (parsed.kind === 'chat') {
      throw new AppError(
        'bad_request',
        "chat documents have no update log to play (it holds deleted messages' text); use the timeline's chat events",
      );
    }
    const rows = await storage.timeline.updates(name, after, limit + 1);
    const end = until ?? Number.MAX_SAFE_INTEGER;
    const within = rows.filter((u) => u.ts <= end);
    const reply: DocumentUpdatesReply = {
      document: name,
      updates: within.slice(0, limit).map((u) => ({
        seq: u.seq,
        ts: u.ts,
        userId: u.userId,
        update: Buffer.from(u.data).toString('base64'),
      })),
      more: within.length > limit,
    };
    call.reply(200, reply);
  });
}

function requireNotFarAhead(what: string, t: number): void {
  if (t > Date.now() + MAX_FUTURE_MS) {
    throw new AppError(
      'bad_request',
      `${what}: more than a day past the server's clock (epoch milliseconds)`,
    );
  }
}
