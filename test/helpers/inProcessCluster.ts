// In-process cluster nodes for integration tests: N test servers sharing one fresh PostgreSQL schema and one
// Redis key prefix, each on its own port (so its advertised URL is known before it starts). Faster than
// child processes; used where a test needs to reach a node's services directly.
import { freePort } from './freePort.ts';
import { createTestSchema, type PgTestSchema } from './pg.ts';
import { createRedisSpace, type RedisTestSpace } from './redis.ts';
import { startTestServer, type TestServer } from './server.ts';

export const CLUSTER_TEST_SECRET = 'cluster-secret-cluster-secret-0123456789';

export interface InProcessCluster {
  nodes: TestServer[];
  redis: RedisTestSpace;
  schema: PgTestSchema;
  /** Who holds a class's lease in Redis (`<token> <nodeId>`), null when nobody does. */
  leaseOf(classId: string): Promise<string | null>;
  stop(): Promise<void>;
}

/** Starts `count` nodes named n1, n2, ...; `env` is added to every node's. */
export async function startInProcessCluster(
  count: number,
  env: Record<string, string> = {},
): Promise<InProcessCluster> {
  const redis = await createRedisSpace();
  const schema = await createTestSchema();
  const nodes: TestServer[] = [];
  const stop = async () => {
    for (const node of nodes.splice(0).reverse()) await node.stop();
    await schema.drop();
    await redis.drop();
  };
  try {
    for (let i = 1; i <= count; i++) {
      const port = await freePort();
      nodes.push(
        await startTestServer({
          PORT: String(port),
          DATABASE_URL: schema.schemaUrl,
          REDIS_URL: redis.url,
          NODE_ID: `n${i}`,
          CLUSTER_ADVERTISE_URL: `http://127.0.0.1:${port}`,
          CLUSTER_SECRET: CLUSTER_TEST_SECRET,
          CLUSTER_KEY_PREFIX: redis.keyPrefix,
          ...env,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const probe = redis.connect();
  return {
    nodes,
    redis,
    schema,
    leaseOf: (classId) => probe.get(`${redis.keyPrefix}lease:${classId}`),
    stop,
  };
}
