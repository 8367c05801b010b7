/**
 * Builds `entry` (default server/src/main.ts) into `outdir` (default server/build); returns the file to run.
 * npm packages are built in unless `packages` is `'external'`.
 */
export function buildServer(
  entry?: string,
  outdir?: string,
  options?: { packages?: 'bundle' | 'external' },
): string;
