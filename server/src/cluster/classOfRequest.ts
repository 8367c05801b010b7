// Which class a request belongs to, from its path alone (pure): the class-scoped REST routes, and the
// WebSocket endpoints, where /collab and /media name it in `?class=` and /yjs in the document name. Sessions,
// polls and recordings are named by their own id: their class is looked up in storage (classOfScope).
import { parseDocumentName } from '@tandem/shared';
import { safeDecodeURIComponent } from '../util/safeDecode.ts';

export type RequestClass =
  | { kind: 'class'; classId: string }
  | { kind: 'session'; sessionId: string }
  | { kind: 'poll'; pollId: string }
  | { kind: 'recording'; recordingId: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const CLASS_ROUTE = new RegExp(`^/api/classes/(${ID})(?:/|$)`);
const DOCUMENT_ROUTE = new RegExp(`^/api/documents/(${ID})/`);
const SESSION_ROUTE = new RegExp(`^/api/sessions/(${ID})(?:/|$)`);
const POLL_ROUTE = new RegExp(`^/api/polls/(${ID})(?:/|$)`);
const RECORDING_ROUTE = new RegExp(`^/api/recordings/(${ID})(?:/|$)`);
const CLASS_PARAM = new RegExp(`^${ID}$`);

/** The class of a REST request, when it is class-scoped; undefined for everything else (served here). */
export function classOfHttpPath(pathname: string): RequestClass | undefined {
  const classId = CLASS_ROUTE.exec(pathname)?.[1] ?? DOCUMENT_ROUTE.exec(pathname)?.[1];
  if (classId !== undefined) return { kind: 'class', classId };
  const sessionId = SESSION_ROUTE.exec(pathname)?.[1];
  if (sessionId !== undefined) return { kind: 'session', sessionId };
  const pollId = POLL_ROUTE.exec(pathname)?.[1];
  if (pollId !== undefined) return { kind: 'poll', pollId };
  const recordingId = RECORDING_ROUTE.exec(pathname)?.[1];
  if (recordingId !== undefined) return { kind: 'recording', recordingId };
  return undefined;
}

/** The class of a WebSocket upgrade; undefined when it names none (then it is served here). */
export function classOfUpgrade(url: URL): RequestClass | undefined {
  if (url.pathname === '/collab' || url.pathname === '/media') {
    const classId = url.searchParams.get('class');
    return classId !== null && CLASS_PARAM.test(classId) ? { kind: 'class', classId } : undefined;
  }
  if (url.pathname.startsWith('/yjs/')) {
    const name = safeDecodeURIComponent(url.pathname.slice('/yjs/'.length));
    const parsed = name === undefined ? undefined : parseDocumentName(name);
    return parsed?.ok ? { kind: 'class', classId: parsed.value.classId } : undefined;
  }
  return undefined;
}

/** Finding in storage the class of a resource named by its own id (undefined: no such thing). */
export interface ClassLookups {
  classOfSession(sessionId: string): Promise<string | undefined>;
  classOfPoll(pollId: string): Promise<string | undefined>;
  classOfRecording(recordingId: string): Promise<string | undefined>;
}

/** The class a request belongs to, looked up when the path names a session, poll or recording. */
export function classOfScope(scope: RequestClass, lookups: ClassLookups): Promise<string | undefined> {
  switch (scope.kind) {
    case 'class':
      return Promise.resolve(scope.classId);
    case 'session':
      return lookups.classOfSession(scope.sessionId);
    case 'poll':
      return lookups.classOfPoll(scope.pollId);
    case 'recording':
      return lookups.classOfRecording(scope.recordingId);
    default: {
      const unknown: never = scope;
      throw new Error(`unexpected request scope ${JSON.stringify(unknown)}`);
    }
  }
}
