// REST for history and attribution (docs/api.md, "History and attribution"):
//   GET /api/documents/<class>/<kind>/<key>/blame?file=<fileId>[&t=<ms>]   per line: who wrote it and when
//       (readers; with t, the file as it was then, for those who may replay the class)
//   GET /api/classes/<class>/workspaces/<userId>/activity          activity summary for grading (staff)
//   GET /api/classes/<class>/workspaces/<userId>/export            one workspace as a zip (staff, the owner)
//   GET /api/classes/<class>/workspaces/export                     every workspace of the class (staff)
// Each runs in the classroom API frame (routeKit.ts: auth, removal check, rate limit) with its own tighter
// limit on top, since each reads a whole document or more.
import {
  activityQuerySchema,
  type BlameReply,
  blameQuerySchema,
  DOC_KINDS,
  documentAccess,
  formatDocumentName,
  getCodeFile,
  idSchema,
  keyedRecord,
  parseDocumentName,
} from '@tandem/shared';
import * as v from 'valibot';
import * as Y from 'yjs';
import type { AppContext } from '../app.ts';
import { KeyedLimiter } from '../classroom/KeyedLimiter.ts';
import { isStaffPrincipal, type Principal, requireMember, requireStaff } from '../classroom/principal.ts';
import { studentsMayReplay } from '../classroom/replayAccess.ts';
import type { Api, Call } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import type { DocumentSeeker } from '../timeline/DocumentSeeker.ts';
import { summarizeActivity } from './activity.ts';
import { authorOf, blameRuns, SpanIndex, textRuns } from './blame.ts';
import { readWorkspaceFiles, workspaceFolders } from './workspaceFiles.ts';
import { sendZip } from './zipStream.ts';

/** Spans read for one request: a semester of daily typing in one document is far below this. */
export const MAX_SPANS_PER_REQUEST = 200_000;
/** Workspaces one class export may hold. */
export const MAX_EXPORT_WORKSPACES = 1000;
/** Blame and activity are read on demand (a toggle, a grading view): a few a second is plenty. */
const READS_PER_SEC = 2;
const READ_BURST = 20;
/** An export reads every file of one or all workspaces. */
const EXPORTS_PER_SEC = 0.1;
const EXPORT_BURST = 3;

type Deps = Pick<AppContext, 'collab' | 'storage' | 'config' | 'roots'> & {
  /** Documents as they were at a time (blame with `t`). */
  seeker: Pick<DocumentSeeker, 'stateAt'>;
};

export function installHistoryRoutes(api: Api, { collab, storage, config, roots, seeker }: Deps): void {
  const reads = new KeyedLimiter(READS_PER_SEC, READ_BURST, 'too many history requests; slow down');
  const exports = new KeyedLimiter(EXPORTS_PER_SEC, EXPORT_BURST, 'too many exports; wait a minute');
  const callerKey = (p: Principal) => (p.kind === 'platform' ? 'platform' : `${p.user.classId}:${p.user.id}`);

  /** When a workspace was last edited, for its files' time in a zip; now when no edit is indexed. */
  const lastEditOf = async (document: string) => (await storage.editSpans.lastEditAt(document)) ?? Date.now();

  /** Display names of the class roster, for the users a reply names. */
  const namesOf = async (classId: string, userIds: Iterable<string | null>) => {
    const wanted = new Set([...userIds].filter((id): id is string => id !== null));
    // User ids are user-chosen: `__proto__` and `constructor` are ids like any other.
    const names = keyedRecord<string>();
    if (wanted.size === 0) return names;
    for (const member of await storage.classes.roster(classId)) {
      if (wanted.has(member.userId)) names[member.userId] = member.name;
    }
    return names;
  };

  api.on('GET', '/api/documents/:classId/:kind/:key/blame', async (call) => {
    reads.take(callerKey(call.principal));
    const name = await readableDocument(call, collab);
    const { file: fileId, t } = call.query(blameQuerySchema);
    const runsOf = (doc: Y.Doc) => {
      const file = getCodeFile(doc, fileId);
      return file ? { name: file.name, runs: textRuns(file.text) } : null;
    };
    let found: ReturnType<typeof runsOf>;
    if (t === undefined) {
      found = await collab.read(name, runsOf);
    } else {
      // The past is a replay: students and observers see it only when their class allows replay.
      if (!isStaffPrincipal(call.principal)) {
        const root = await roots.rootOf(call.param('classId'));
        if (!studentsMayReplay(await storage.classes.get(root), config.recording.studentsMayWatch)) {
          throw new AppError('forbidden', 'only instructors and assistants can replay this class');
        }
      }
      const doc = new Y.Doc();
      Y.applyUpdate(doc, (await seeker.stateAt(name, t)).state);
      found = runsOf(doc);
      doc.destroy();
    }
    if (!found) throw new AppError('not_found', `no file ${fileId} in ${name}`);
    // Read after the text: every character it holds was logged, so its span is stored by now.
    const [spans, owners] = await Promise.all([
      storage.editSpans.spans(name, MAX_SPANS_PER_REQUEST),
      storage.editSpans.owners(name),
    ]);
    const lines = blameRuns(found.runs, new SpanIndex(spans, owners));
    const reply: BlameReply = {
      file: { id: fileId, name: found.name },
      lines,
      names: await namesOf(
        call.param('classId'),
        lines.map((l) => l.userId),
      ),
    };
    call.reply(200, reply);
  });

  api.on('GET', '/api/classes/:classId/workspaces/:userId/activity', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'read activity summaries');
    reads.take(callerKey(call.principal));
    const options = call.query(activityQuerySchema);
    const userId = call.param('userId');
    const document = formatDocumentName({ classId, kind: 'ws', key: userId });
    const [spans, owners] = await Promise.all([
      storage.editSpans.spans(document, MAX_SPANS_PER_REQUEST),
      storage.editSpans.owners(document),
    ]);
    // The student's own work: edits staff made in the workspace (or restores they asked for) are not theirs.
    const own = spans.filter((span) => authorOf(span, owners) === userId);
    call.reply(200, { document, ...summarizeActivity(own, options) });
  });

  api.on('GET', '/api/classes/:classId/workspaces/export', async (call) => {
    const classId = call.param('classId');
    requireStaff(call.principal, classId, 'export every workspace of the class');
    exports.take(callerKey(call.principal));
    const prefix = `${classId}/ws/`;
    const names = await storage.editSpans.documentNames(prefix, MAX_EXPORT_WORKSPACES + 1);
    if (names.length > MAX_EXPORT_WORKSPACES) {
      throw new AppError(
        'too_large',
        `more than ${MAX_EXPORT_WORKSPACES} workspaces; export them one by one`,
      );
    }
    const userIds = names.map((name) => name.slice(prefix.length)).filter((id) => v.is(idSchema, id));
    const folders = workspaceFolders(userIds, await namesOf(classId, userIds));
    const documents = await Promise.all(
      userIds.map(async (userId) => {
        const name = `${prefix}${userId}`;
        return { name, folder: folders.get(userId)!, modifiedAt: await lastEditOf(name) };
      }),
    );
    const files = await readWorkspaceFiles(collab, documents, config.exportMaxBytes);
    await sendZip(call.rc.res, `${classId}-workspaces.zip`, files);
  });

  api.on('GET', '/api/classes/:classId/workspaces/:userId/export', async (call) => {
    const classId = call.param('classId');
    const userId = call.param('userId');
    requireMember(call.principal, classId);
    const p = call.principal;
    if (p.kind === 'user' && p.user.id !== userId) {
      requireStaff(p, classId, "export someone else's workspace");
    }
    exports.take(callerKey(p));
    const name = formatDocumentName({ classId, kind: 'ws', key: userId });
    const files = await readWorkspaceFiles(
      collab,
      [{ name, folder: userId, modifiedAt: await lastEditOf(name) }],
      config.exportMaxBytes,
    );
    await sendZip(call.rc.res, `${classId}-${userId}.zip`, files);
  });
}

/** The document named by the path, if the caller may read it (a platform may read every document). */
async function readableDocument(call: Call, collab: Deps['collab']): Promise<string> {
  const kind = call.rc.params.kind ?? '';
  if (!(DOC_KINDS as readonly string[]).includes(kind))
    throw new AppError('bad_request', `unknown kind ${kind}`);
  const name = `${call.param('classId')}/${kind}/${call.param('key')}`;
  const parsed = parseDocumentName(name);
  if (!parsed.ok) throw new AppError('bad_request', parsed.reason);
  if (parsed.value.kind !== 'code' && parsed.value.kind !== 'ws') {
    throw new AppError('bad_request', 'only code documents and workspaces have files to attribute');
  }
  const p = call.principal;
  if (p.kind === 'platform') return name;
  requireMember(p, parsed.value.classId);
  const access = documentAccess(
    { userId: p.user.id, role: p.user.role, classId: p.user.classId },
    parsed.value,
    await collab.locks.load(parsed.value.classId),
  );
  if (access === 'none') throw new AppError('forbidden', `you may not read ${name}`);
  return name;
}
