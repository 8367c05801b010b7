// Who a fuzz case speaks as: nobody, students and observers of the witnesses' class, staff of another class,
// or a broken token. Tokens are signed with fixed iat/exp so a seed yields byte-identical frames every run.
import type { Role } from '@tandem/shared';
import { SignJWT } from 'jose';
import type { Rng } from './prng.ts';

/** The class the witnesses edit in; fuzz identities there are never staff, so its code lock holds. */
export const WITNESS_CLASS = 'class1';
/** Another class where fuzz identities may be staff, to reach staff-only routes and methods. */
export const OTHER_CLASS = 'class2';
/** Fixed issue time and a far expiry: tokens (and so reproducers) stay valid and deterministic. */
const IAT = 1_760_000_000;
const EXP = 4_100_000_000;

export type Who =
  | { kind: 'none' }
  | { kind: 'user'; sub: string; role: Role; cls: string }
  | { kind: 'broken'; token: string; why: string };

export class TokenMint {
  private readonly cache = new Map<string, string>();
  constructor(private readonly secret: string) {}

  async sign(sub: string, role: Role, cls: string, exp = EXP): Promise<string> {
    const key = `${sub}|${role}|${cls}|${exp}`;
    let token = this.cache.get(key);
    if (!token) {
      token = await new SignJWT({ name: sub, cls, role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setIssuedAt(IAT)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(this.secret));
      this.cache.set(key, token);
    }
    return token;
  }

  /** The token a case carries (empty for nobody). */
  async tokenOf(who: Who): Promise<string> {
    if (who.kind === 'none') return '';
    if (who.kind === 'broken') return who.token;
    return this.sign(who.sub, who.role, who.cls);
  }
}

/** Draws an identity; fuzz users are many (`fz0`..`fz499`) so per-user rate limits leave room to reach handlers. */
export async function pickWho(rng: Rng, mint: TokenMint): Promise<Who> {
  const sub = `fz${rng.int(0, 499)}`;
  const kind = rng.weighted<string>([
    [2, 'none'],
    [4, 'student'],
    [3, 'observer'],
    [2, 'otherStaff'],
    [1, 'otherStudent'],
    [1, 'broken'],
  ]);
  if (kind === 'none') return { kind: 'none' };
  if (kind === 'student' || kind === 'observer') return { kind: 'user', sub, role: kind, cls: WITNESS_CLASS };
  if (kind === 'otherStaff')
    return { kind: 'user', sub, role: rng.pick(['instructor', 'assistant'] as const), cls: OTHER_CLASS };
  if (kind === 'otherStudent') return { kind: 'user', sub, role: 'student', cls: OTHER_CLASS };
  const valid = await mint.sign(sub, 'student', WITNESS_CLASS);
  const why = rng.pick(['garbage', 'flipped', 'expired', 'algNone', 'huge'] as const);
  const token = {
    garbage: rng.pick(['x', 'a.b.c', '', '\u0000', 'Bearer']),
    flipped: valid.slice(0, -3) + (valid.endsWith('AAA') ? 'BBB' : 'AAA'),
    expired: await mint.sign(sub, 'student', WITNESS_CLASS, IAT + 60),
    algNone: `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${valid.split('.')[1]}.`,
    huge: 'e'.repeat(rng.pick([8193, 70_000])),
  }[why];
  return { kind: 'broken', token, why };
}

export function describeWho(who: Who): string {
  if (who.kind === 'none') return 'no token';
  if (who.kind === 'broken') return `broken token (${who.why})`;
  return `${who.role} ${who.sub} of ${who.cls}`;
}
