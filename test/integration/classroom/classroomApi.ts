// REST helpers for classroom integration tests: a caller bound to a bearer credential, and the notices a
// collab client receives.
import { type ClassNotice, decodeCollabNotice, isClassNotice } from '@tandem/shared';
import type { CollabClient } from '../../helpers/collabClient.ts';
import type { TestServer } from '../../helpers/server.ts';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export type Caller = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<Reply<T>>;

export function caller(server: TestServer, bearer: string): Caller {
  return async (method, path, body) => {
    const res = await fetch(`${server.httpUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = {};
    }
    return { status: res.status, body: parsed as never, text, headers: res.headers };
  };
}

/** Collects the class notices a client receives (and their ids, to check deduplication). */
export function collectNotices(client: CollabClient): ClassNotice[] {
  const notices: ClassNotice[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const notice = decodeCollabNotice(payload);
    if (notice && isClassNotice(notice)) notices.push(notice);
  });
  return notices;
}

export async function person(
  server: TestServer,
  sub: string,
  role: Parameters<TestServer['token']>[0]['role'],
  cls = 'class1',
) {
  const token = await server.token({ sub, role, cls, name: sub[0]!.toUpperCase() + sub.slice(1) });
  return { token, api: caller(server, token) };
}

/** The access changes ('read' | 'write') the server announced on a client's open connection. */
export function collectAccess(client: CollabClient): string[] {
  const changes: string[] = [];
  client.provider.on('stateless', ({ payload }: { payload: string }) => {
    const notice = decodeCollabNotice(payload);
    if (notice?.type === 'access') changes.push(notice.access);
  });
  return changes;
}
