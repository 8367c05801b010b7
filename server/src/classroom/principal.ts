// Who is calling a classroom endpoint: a course platform (a server API key from API_KEYS) or a person (a
// class-scoped JWT), and the checks every route makes on it. API keys are compared in constant time.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { identityFromClaims, isStaff, type UserIdentity } from '@tandem/shared';
import type { CredentialGuard } from '../auth/CredentialGuard.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import { AppError } from '../errors.ts';
import { bearerToken } from '../http/router.ts';

export type Principal =
  | { kind: 'platform' }
  | { kind: 'user'; user: UserIdentity /** token expiry, seconds since the epoch */; exp: number };

export interface PrincipalAuth {
  authenticate(req: IncomingMessage): Promise<Principal>;
}

const digest = (value: string) => crypto.createHash('sha256').update(value, 'utf8').digest();

/** Back-off on bad credentials per client address (auth/CredentialGuard.ts). */
export interface PrincipalBackoff {
  credentials: CredentialGuard;
  /** The key a request's failures are counted under (its client address). */
  addressOf(req: IncomingMessage): string;
}

/** A platform's API key that passed stays known this long (it passes while its address is backed off). */
const API_KEY_KNOWN_MS = 10 * 60_000;

export function createPrincipalAuth(
  apiKeys: readonly string[],
  verifier: TokenVerifier,
  backoff?: PrincipalBackoff,
): PrincipalAuth {
  const keyDigests = apiKeys.map(digest);
  const isApiKey = (presented: string): boolean => {
    // Equal-length digests and no early exit: the time taken says nothing about any key.
    const candidate = digest(presented);
    let match = false;
    for (const key of keyDigests) match = crypto.timingSafeEqual(candidate, key) || match;
    return match;
  };
  return {
    async authenticate(req) {
      const bearer = bearerToken(req);
      if (!bearer) {
        throw new AppError(
          'unauthorized',
          'send a class token or a server API key as "Authorization: Bearer <credential>"',
        );
      }
      const check = async (): Promise<Principal> => {
        if (keyDigests.length > 0 && isApiKey(bearer)) return { kind: 'platform' };
        const claims = await verifier.verify(bearer);
        return { kind: 'user', user: identityFromClaims(claims), exp: claims.exp };
      };
      if (!backoff) return check();
      // API keys and tokens share one back-off: a blocked address cannot go on guessing keys either.
      return backoff.credentials.attempt(backoff.addressOf(req), bearer, check, (p) =>
        p.kind === 'platform' ? Date.now() + API_KEY_KNOWN_MS : p.exp * 1000,
      );
    },
  };
}

/** A person in this class (a platform passes too). */
export function requireMember(p: Principal, classId: string): void {
  if (p.kind === 'user' && p.user.classId !== classId) {
    throw new AppError('forbidden', 'this token is for another class');
  }
}

/** Instructors and assistants of this class, or a platform. */
export function requireStaff(p: Principal, classId: string, what: string): void {
  requireMember(p, classId);
  if (p.kind === 'user' && !isStaff(p.user.role)) {
    throw new AppError('forbidden', `only instructors and assistants can ${what}`);
  }
}

/** Instructors of this class, or a platform. */
export function requireInstructor(p: Principal, classId: string, what: string): void {
  requireMember(p, classId);
  if (p.kind === 'user' && p.user.role !== 'instructor') {
    throw new AppError('forbidden', `only the instructor can ${what}`);
  }
}

/** Platforms only (API key). */
export function requirePlatform(p: Principal, what: string): void {
  if (p.kind !== 'platform') {
    throw new AppError('forbidden', `${what} needs a server API key (API_KEYS), not a class token`);
  }
}

/** A person of this class (actions that need an author, such as chat or raising a hand). */
export function requirePerson(p: Principal, classId: string): UserIdentity {
  if (p.kind !== 'user') throw new AppError('forbidden', 'this action needs a class token of a person');
  requireMember(p, classId);
  return p.user;
}

export function isStaffPrincipal(p: Principal): boolean {
  return p.kind === 'platform' || isStaff(p.user.role);
}
