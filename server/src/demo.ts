// Prints ready-to-open demo links (an instructor and two students in one class) when DEMO is on.
import type { AppContext } from './app.ts';
import { mintToken } from './auth/tokens.ts';

export const DEMO_CLASS_ID = 'demo';
export const DEMO_USERS = [
  { sub: 'ada', name: 'Ada (instructor)', role: 'instructor' },
  { sub: 'linus', name: 'Linus (student)', role: 'student' },
  { sub: 'grace', name: 'Grace (student)', role: 'student' },
] as const;

export async function printDemoLinks(ctx: AppContext, baseUrl: string): Promise<void> {
  if (!ctx.authSecret) {
    ctx.log.warn('demo links need an HS256 secret; set AUTH_SECRET');
    return;
  }
  const lines = [`demo class "${DEMO_CLASS_ID}" (tokens valid 12 h):`];
  for (const user of DEMO_USERS) {
    const token = await mintToken(ctx.authSecret, { ...user, cls: DEMO_CLASS_ID, ttlSeconds: 12 * 3600 });
    // The token travels in the fragment, which browsers never send to servers or logs.
    lines.push(`  ${user.name.padEnd(18)} ${baseUrl}/c/${DEMO_CLASS_ID}#token=${token}`);
  }
  lines.push(`  demo landing page  ${baseUrl}/demo`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
