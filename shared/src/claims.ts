// The claims Tandem reads from a course platform's JWT.
import * as v from 'valibot';
import { idSchema } from './ids.ts';
import { ROLES } from './roles.ts';

export const tokenClaimsSchema = v.object({
  sub: idSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  cls: idSchema,
  role: v.picklist(ROLES),
  exp: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
});

export type TokenClaims = v.InferOutput<typeof tokenClaimsSchema>;

/** The identity a connection carries, derived from verified claims only. */
export interface UserIdentity {
  id: string;
  name: string;
  role: TokenClaims['role'];
  classId: string;
}

export function identityFromClaims(claims: TokenClaims): UserIdentity {
  return { id: claims.sub, name: claims.name, role: claims.role, classId: claims.cls };
}
