// startTestServer on a chosen storage engine: SQLite as usual, or PostgreSQL in a fresh schema that is
// dropped when the server stops.
import type { Env } from '../../server/src/config.ts';
import type { StorageEngine } from '../../server/src/storage/Storage.ts';
import { createTestSchema } from './pg.ts';
import { startTestServer, type TestServer } from './server.ts';

export { STORAGE_ENGINES } from '../../server/src/storage/Storage.ts';

export async function startTestServerOn(engine: StorageEngine, env: Env = {}): Promise<TestServer> {
  if (engine === 'sqlite') return startTestServer(env);
  const schema = await createTestSchema();
  const server = await startTestServer({ ...env, DATABASE_URL: schema.schemaUrl });
  return {
    ...server,
    async stop() {
      try {
        await server.stop();
      } finally {
        await schema.drop();
      }
    },
  };
}
