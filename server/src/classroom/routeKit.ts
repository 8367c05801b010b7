// The frame every classroom endpoint runs in: authenticate (API key or class token), refuse a person removed
// from the class, a per-caller rate limit, validated params and bodies (valibot, with size limits), and JSON
// replies.

import { firstIssue, idSchema } from '@tandem/shared';
import type { HTTPMethod } from 'find-my-way';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { parseWith, type RequestContext, type Router, readJson, sendJson } from '../http/router.ts';
import { KeyedLimiter } from './KeyedLimiter.ts';
import type { Principal, PrincipalAuth } from './principal.ts';
import type { Removals } from './Removals.ts';

/** Request bodies of the classroom API are small: the largest is a chat message (4,000 characters). */
export const MAX_BODY_BYTES = 32 * 1024;
/** Rosters and chosen breakout groups may list many people. */
export const MAX_LIST_BODY_BYTES = 512 * 1024;

export interface Call {
  principal: Principal;
  rc: RequestContext;
  /** A path parameter checked against the id rules (or another schema). */
  param(name: string): string;
  body<T>(schema: v.GenericSchema<unknown, T>, maxBytes?: number): Promise<T>;
  query<T>(schema: v.GenericSchema<unknown, T>): T;
  reply(status: number, body: unknown): void;
}

export type CallHandler = (call: Call) => Promise<void> | void;

export function createApi(router: Router, auth: PrincipalAuth, removals: Pick<Removals, 'check'>) {
  // Generous for people clicking, tight enough to stop a script hammering the database.
  const limiter = new KeyedLimiter(10, 60, 'too many requests; slow down');
  return {
    on(method: HTTPMethod, path: string, handler: CallHandler): void {
      router.on(method, path, async (rc) => {
        const principal = await auth.authenticate(rc.req);
        limiter.take(
          principal.kind === 'platform' ? 'platform' : `${principal.user.classId}:${principal.user.id}`,
        );
        if (principal.kind === 'user') await removals.check(principal.user);
        await handler({
          principal,
          rc,
          param(name) {
            const value = rc.params[name];
            const parsed = v.safeParse(idSchema, value);
            if (!parsed.success)
              throw new AppError('bad_request', `${name}: ${firstIssue(parsed.issues).message}`);
            return parsed.output;
          },
          async body(schema, maxBytes = MAX_BODY_BYTES) {
            return parseWith(schema, await readJson(rc.req, maxBytes));
          },
          query(schema) {
            return parseWith(schema, Object.fromEntries(rc.query));
          },
          reply(status, body) {
            sendJson(rc.res, status, body);
          },
        });
      });
    },
  };
}

export type Api = ReturnType<typeof createApi>;
