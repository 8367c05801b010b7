// REST authorization: the bearer token's user and their access to a named document. The class in the URL is
// checked against the token's before its locks are read: ClassLockRegistry caches every class it loads, so
// the locks are loaded only for the caller's own class, never for whatever class id a request names.
import type { IncomingMessage } from 'node:http';
import {
  type Access,
  type DocumentName,
  documentAccess,
  identityFromClaims,
  parseDocumentName,
  type UserIdentity,
} from '@tandem/shared';
import type { ClassLockRegistry } from '../collab/ClassLocks.ts';
import { AppError } from '../errors.ts';
import { bearerToken } from '../http/router.ts';
import type { TokenVerifier } from './verifier.ts';

export async function authenticateRequest(
  req: IncomingMessage,
  verifier: TokenVerifier,
): Promise<UserIdentity> {
  const token = bearerToken(req);
  if (!token) throw new AppError('unauthorized', 'send the token as "Authorization: Bearer <jwt>"');
  return identityFromClaims(await verifier.verify(token));
}

export async function requireDocumentAccess(
  user: UserIdentity,
  documentName: string,
  locks: ClassLockRegistry,
  needed: Exclude<Access, 'none'>,
): Promise<DocumentName> {
  const parsed = parseDocumentName(documentName);
  if (!parsed.ok) throw new AppError('bad_request', parsed.reason);
  if (parsed.value.classId !== user.classId) {
    throw new AppError('forbidden', `this token is for another class; you may not touch ${documentName}`);
  }
  const access = documentAccess(
    { userId: user.id, role: user.role, classId: user.classId },
    parsed.value,
    await locks.load(parsed.value.classId),
  );
  if (access === 'none' || (needed === 'write' && access !== 'write')) {
    throw new AppError('forbidden', `you may not ${needed === 'write' ? 'change' : 'read'} ${documentName}`);
  }
  return parsed.value;
}
