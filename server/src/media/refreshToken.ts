// The `refreshToken` request: a joined peer's new token must verify, not be expired, and name the same
// user, class and role as the token it joined with. Identity stays as joined; only the expiry moves.
import type { TokenClaims, UserIdentity } from '@tandem/shared';
import type { TokenVerifier } from '../auth/verifier.ts';
import { AppError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';

export interface RefreshDeps {
  verifier: TokenVerifier;
  metrics: Metrics;
}

/** Resolves with the new token's claims, or throws `unauthorized`/`forbidden` and changes nothing. */
export async function verifyRefreshedToken(
  deps: RefreshDeps,
  joinedAs: UserIdentity,
  token: string,
): Promise<TokenClaims> {
  const refuse = (error: unknown): never => {
    deps.metrics.authFailures.inc({ reason: 'media_refresh' });
    throw error;
  };
  const claims = await deps.verifier.verify(token).catch(refuse);
  // The verifier allows a few seconds of clock skew; a refresh must actually extend the session.
  if (claims.exp * 1000 <= Date.now())
    refuse(new AppError('unauthorized', 'the new token has already expired; get a fresh one'));
  if (claims.sub !== joinedAs.id || claims.cls !== joinedAs.classId) {
    refuse(
      new AppError(
        'forbidden',
        'the new token is for another user or class; refresh with a token for the same user and class, or join again',
      ),
    );
  }
  if (claims.role !== joinedAs.role) {
    refuse(
      new AppError(
        'forbidden',
        `the new token's role is ${claims.role} but you joined as ${joinedAs.role}; role changes need a new join`,
      ),
    );
  }
  return claims;
}
