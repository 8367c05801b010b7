// startTestServer on a chosen storage engine: SQLite as usual, or PostgreSQL in a fresh schema that is
// dropped when the server stops. `restart` stops the server and starts another on the same data, optionally
// with other settings, another data directory, or after changing the stored data.
import type { Env } from '../../server/src/config.ts';
import type { StorageEngine } from '../../server/src/storage/Storage.ts';
import { createTestSchema, type PgTestSchema } from './pg.ts';
import { startTestServer, type TestServer } from './server.ts';

export { STORAGE_ENGINES } from '../../server/src/storage/Storage.ts';

/** Where a stopped server's data is: its data directory, and its PostgreSQL schema on that engine. */
export interface StoppedData {
  dataDir: string;
  schema: PgTestSchema | null;
}

export interface RestartOptions {
  /** Settings changed for the new server (merged over the first server's). */
  env?: Env;
  /** Another data directory for the new server (PostgreSQL keeps the same schema). */
  dataDir?: string;
  /** Runs between stop and start, e.g. to change what is stored. */
  whileStopped?: (data: StoppedData) => Promise<void> | void;
}

export interface EngineTestServer extends TestServer {
  /** Stops this server (keeping its data) and starts a new one on the same data directory and schema. */
  restart(options?: RestartOptions): Promise<EngineTestServer>;
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
    async restart({ env: changed = {}, dataDir: nextDataDir, whileStopped }: RestartOptions = {}) {
      await server.stop();
      await whileStopped?.({ dataDir: server.dataDir, schema });
      return start({ ...env, ...changed }, schema, nextDataDir ?? server.dataDir);
    },
  };
  return engineServer;
}
