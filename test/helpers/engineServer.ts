// startTestServer on a chosen storage engine: SQLite as usual, or PostgreSQL in a fresh schema that is
// dropped when the server stops. `restart` stops the server and starts another on the same data.
import type { Env } from '../../server/src/config.ts';
import type { StorageEngine } from '../../server/src/storage/Storage.ts';
import { createTestSchema, type PgTestSchema } from './pg.ts';
import { startTestServer, type TestServer } from './server.ts';

export { STORAGE_ENGINES } from '../../server/src/storage/Storage.ts';

export interface EngineTestServer extends TestServer {
  /** Stops this server (keeping its data) and starts a new one on the same data directory and schema. */
  restart(): Promise<EngineTestServer>;
}

export async function startTestServerOn(engine: StorageEngine, env: Env = {}): Promise<EngineTestServer> {
  const schema = engine === 'postgres' ? await createTestSchema() : null;
  return start(env, schema, undefined);
}

async function start(env: Env, schema: PgTestSchema | null, dataDir: string | undefined) {
  const server = await startTestServer(
    schema ? { ...env, DATABASE_URL: schema.schemaUrl } : env,
    dataDir ? { dataDir } : {},
  );
  const engineServer: EngineTestServer = {
    ...server,
    async stop() {
      try {
        await server.stop();
      } finally {
        await schema?.drop();
      }
    },
    async restart() {
      await server.stop();
      return start(env, schema, server.dataDir);
    },
  };
  return engineServer;
}
