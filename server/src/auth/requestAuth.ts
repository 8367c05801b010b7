// REST authorization: the bearer token's user and their access to a named document.
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
