// The one rule for refreshing a live connection's token, on /collab, /yjs and /media alike: the new token
// must verify, must not be expired, and must name the same user, class and role as the token the connection
// was admitted with. A refresh only extends a connection; rights never change through it (a new role or class
// needs a new connection, where they are checked from scratch).
import type { TokenClaims, UserIdentity } from '@tandem/shared';
import { AppError } from '../errors.ts';
import type { TokenVerifier } from './verifier.ts';

/** Resolves with the new token's claims, or throws an `unauthorized`/`forbidden` AppError. */
export async function verifyTokenRefresh(
  verifier: TokenVerifier,
  admittedAs: UserIdentity,
  token: string,
): Promise<TokenClaims> {
  const claims = await verifier.verify(token);
  // The verifier allows a few seconds of clock skew; a refresh must actually extend the connection.
  if (claims.exp * 1000 <= Date.now())
    throw new AppError('unauthorized', 'the new token has already expired; get a fresh one');
  if (claims.sub !== admittedAs.id || claims.cls !== admittedAs.classId) {
    throw new AppError(
      'forbidden',
      'the new token is for another user or class; refresh with a token for the same user and class, or connect again',
    );
  }
  if (claims.role !== admittedAs.role) {
    throw new AppError(
      'forbidden',
      `the new token's role is ${claims.role} but you connected as ${admittedAs.role}; role changes need a new connection`,
    );
  }
  return claims;
}
