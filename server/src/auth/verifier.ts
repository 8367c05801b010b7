// Verifies course-platform JWTs (HS256 shared secret, or a PEM public key / JWKS for asymmetric keys)
// and turns them into validated claims. Every failure is an `unauthorized` AppError with a reason.

import { firstIssue, type TokenClaims, tokenClaimsSchema } from '@tandem/shared';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  importSPKI,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
  type KeyObject,
} from 'jose';
import * as v from 'valibot';
import { AppError } from '../errors.ts';
import { VerifiedTokens } from './verifiedTokens.ts';

export interface VerifierOptions {
  secret: string | undefined;
  publicKeyPem: string | undefined;
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** The clock tokens are checked against (tests); the system clock by default. */
  now?: () => number;
}

export interface TokenVerifier {
  verify(token: string | undefined | null): Promise<TokenClaims>;
}

const ASYMMETRIC_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const MAX_TOKEN_CHARS = 8192;
/** Seconds of clock skew allowed between the platform that issues tokens and this server. */
const CLOCK_TOLERANCE_S = 5;

export async function createTokenVerifier(options: VerifierOptions): Promise<TokenVerifier> {
  // Imported once: given the secret's bytes, jose imports a key for every token it verifies (a third of the
  // cost of a verification, which every connection and every token refresh pays).
  const secret = options.secret ? await importHmacKey(options.secret) : undefined;
  let asymmetric: KeyObject | JWTVerifyGetKey | undefined;
  if (options.publicKeyPem) {
    const alg = guessAlgForPem(options.publicKeyPem);
    asymmetric = (await importSPKI(options.publicKeyPem, alg)) as KeyObject;
  } else if (options.jwksUrl) {
    asymmetric = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
    });
  }
  const common = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    requiredClaims: ['exp', 'sub'],
    clockTolerance: CLOCK_TOLERANCE_S,
  };
  const now = options.now ?? Date.now;
  const verified = new VerifiedTokens(CLOCK_TOLERANCE_S * 1000);

  return {
    async verify(token) {
      if (!token) throw new AppError('unauthorized', 'missing token');
      if (token.length > MAX_TOKEN_CHARS) throw new AppError('unauthorized', 'malformed token: too long');
      const at = now();
      const known = verified.get(token, at);
      if (known) return known;
      // jose checks `exp` and `nbf` against the same clock.
      const checks = options.now ? { ...common, currentDate: new Date(at) } : common;
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        throw new AppError('unauthorized', 'malformed token: not a JWT');
      }
      try {
        let payload: unknown;
        if (alg === 'HS256') {
          if (!secret) throw new AppError('unauthorized', 'HS256 tokens are not accepted by this server');
          payload = (await jwtVerify(token, secret, { ...checks, algorithms: ['HS256'] })).payload;
        } else if (alg && ASYMMETRIC_ALGS.includes(alg) && asymmetric) {
          payload =
            typeof asymmetric === 'function'
              ? (await jwtVerify(token, asymmetric, { ...checks, algorithms: ASYMMETRIC_ALGS })).payload
              : (await jwtVerify(token, asymmetric, { ...checks, algorithms: ASYMMETRIC_ALGS })).payload;
        } else {
          throw new AppError('unauthorized', `token algorithm ${alg ?? 'none'} is not accepted`);
        }
        const parsed = v.safeParse(tokenClaimsSchema, payload);
        if (!parsed.success) {
          const issue = firstIssue(parsed.issues);
          throw new AppError(
            'unauthorized',
            `invalid token claims: ${issue.path.join('.')} ${issue.message}`,
          );
        }
        verified.add(token, parsed.output, at);
        return parsed.output;
      } catch (error) {
        throw asAuthError(error);
      }
    },
  };
}

function importHmacKey(secret: string): Promise<CryptoKey> {
  const bytes = new TextEncoder().encode(secret);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

function asAuthError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof joseErrors.JWTExpired) return new AppError('unauthorized', 'token expired');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new AppError('unauthorized', 'bad token signature');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new AppError('unauthorized', `token claim "${error.claim}" is invalid: ${error.reason}`);
  }
  if (error instanceof joseErrors.JOSEError)
    return new AppError('unauthorized', `invalid token (${error.code})`);
  return new AppError('unauthorized', 'invalid token');
}

function guessAlgForPem(pem: string): string {
  // Node parses the key; we only need an algorithm jose accepts for that key type.
  if (/BEGIN PUBLIC KEY/.test(pem)) {
    const body = pem.replace(/-----[^-]+-----|\s/g, '');
    const der = Buffer.from(body, 'base64');
    // OIDs: 1.2.840.10045.2.1 (EC), 1.3.101.112 (Ed25519); RSA otherwise.
    if (der.includes(Buffer.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]))) return 'ES256';
    if (der.includes(Buffer.from([0x2b, 0x65, 0x70]))) return 'EdDSA';
  }
  return 'RS256';
}
