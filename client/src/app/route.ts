// Turns the page URL into the screen to show. Pure: the same path and query always give the same Route.
import { EMBED_VIEWS, type EmbedView, isValidId } from '@tandem/shared';

export type Route =
  | { page: 'home' }
  | { page: 'demo' }
  | { page: 'class'; classId: string; codeKey: string }
  | { page: 'pair'; classId: string; key: string }
  | { page: 'embed'; classId: string; view: Exclude<EmbedView, 'replay'>; codeKey: string }
  /** `/replay/<sessionId>`, or embedded: `/embed/<classId>?view=replay&session=<sessionId>`; `t` opens a moment. */
  | { page: 'replay'; sessionId: string; embedClassId: string | null; t: number | null }
  | { page: 'notFound'; path: string };

/** The code document a class opens unless another is chosen. */
export const DEFAULT_CODE_KEY = 'main';

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const query = new URLSearchParams(search);
  const [first, classId, third, key] = parts;
  if (parts.length === 0) return { page: 'home' };
  if (first === 'demo' && parts.length === 1) return { page: 'demo' };
  if (first === 'c' && classId && isValidId(classId)) {
    if (parts.length === 2) {
      const code = query.get('code');
      return { page: 'class', classId, codeKey: code && isValidId(code) ? code : DEFAULT_CODE_KEY };
    }
    if (parts.length === 4 && third === 'pair' && key && isValidId(key))
      return { page: 'pair', classId, key };
  }
  if (first === 'replay' && classId && isValidId(classId) && parts.length === 2)
    return { page: 'replay', sessionId: classId, embedClassId: null, t: momentOf(query) };
  if (first === 'embed' && classId && isValidId(classId) && parts.length === 2) {
    const view = query.get('view');
    const code = query.get('code');
    const session = query.get('session');
    if (view === 'replay' && session && isValidId(session))
      return { page: 'replay', sessionId: session, embedClassId: classId, t: momentOf(query) };
    return {
      page: 'embed',
      classId,
      view:
        view !== 'replay' && (EMBED_VIEWS as readonly string[]).includes(view ?? '')
          ? (view as Exclude<EmbedView, 'replay'>)
          : 'all',
      codeKey: code && isValidId(code) ? code : DEFAULT_CODE_KEY,
    };
  }
  return { page: 'notFound', path: pathname };
}

/** `t=<epoch ms>` of a link to a moment of a replay, or null when absent or not a time. */
function momentOf(query: URLSearchParams): number | null {
  const raw = query.get('t');
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
