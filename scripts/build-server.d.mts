/** Builds `entry` (default server/src/main.ts) into `outdir` (default server/build); returns the file to run. */
export function buildServer(entry?: string, outdir?: string): string;
