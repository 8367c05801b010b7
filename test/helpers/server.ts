// Starts the real Tandem server on port 0 with a temporary data directory, for integration tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '@tandem/shared';
import { createTandem, type Tandem } from '../../server/src/app.ts';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { type Env, loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestServer {
  tandem: Tandem;
  url: URL;
  httpUrl: string;
  wsUrl: string;
  dataDir: string;
  token(opts: { sub: string; role: Role; cls?: string; name?: string; ttlSeconds?: number }): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestServer(env: Env = {}, opts: { dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MEDIA_ENABLED: 'false',
    STORE_DEBOUNCE_MS: '50',
    ...env,
  });
  const tandem = await createTandem(config, createLogger(config.logLevel));
  const url = await tandem.listen();
  return {
    tandem,
    url,
    httpUrl: url.origin,
    wsUrl: url.origin.replace(/^http/, 'ws'),
    dataDir,
    token: ({ sub, role, cls = 'class1', name, ttlSeconds }) =>
      mintToken(TEST_SECRET, { sub, role, cls, name: name ?? sub, ...(ttlSeconds ? { ttlSeconds } : {}) }),
    async stop() {
      await tandem.close();
    },
  };
}
