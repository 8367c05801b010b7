import { defineConfig } from 'vitest/config';

// Three test projects (plus `screenshots`, run only on demand): fast pure-logic unit tests, integration tests against the real server on port 0, and
// end-to-end tests in a real browser. Integration and e2e files run one at a time per worker fork because
// each starts servers and (for media) a real mediasoup worker.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/buildServerSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/screenshots.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
      {
        // Not a test: regenerates docs/screenshots/*.png (`npm run screenshots`).
        test: {
          name: 'screenshots',
          include: ['test/e2e/screenshots.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
