// The claims Tandem reads from a course platform's JWT.
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { ROLES } from './roles.ts';

export const tokenClaimsSchema = z.object({
  sub: idSchema,
  name: z.string().trim().min(1).max(80),
  cls: idSchema,
  role: z.enum(ROLES),
  exp: z.number().int().positive(),
});

export type TokenClaims = z.infer<typeof tokenClaimsSchema>;

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
