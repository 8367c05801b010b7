// Global setup of the integration tests: builds the server once, as `npm start` builds it
// (scripts/build-server.mjs), for the tests that run it as a child process (serverProcess.ts); removed after.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildServer } from '../../scripts/build-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built server's entry file. */
    serverMain: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(project: TestProject): () => void {
  const dir = path.join(ROOT, 'server', `.build-test-${project.name}`);
  project.provide('serverMain', buildServer(path.join(ROOT, 'server/src/main.ts'), dir));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
