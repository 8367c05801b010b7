// Tandem nodes as child processes (the built server, serverProcess.ts) sharing one fresh PostgreSQL
// schema and one Redis key prefix, each on a port known before it starts (its advertised URL). For tests
// that kill a node for real (-9) or drain it (SIGTERM); test/helpers/inProcessCluster.ts is the faster kind
// for tests that reach into a node's services.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';
import { CLUSTER_TEST_SECRET } from './inProcessCluster.ts';
import { createTestSchema, type PgTestSchema } from './pg.ts';
import { createRedisSpace, type RedisTestSpace } from './redis.ts';
import { TEST_SECRET } from './server.ts';
import { type ServerProcess, startServerProcess } from './serverProcess.ts';
import { waitFor } from './waitFor.ts';

export interface ClusterNodeProcess extends ServerProcess {
  nodeId: string;
  port: number;
}

export interface ProcessCluster {
  /** Named n1, n2, ... in start order. */
  nodes: ClusterNodeProcess[];
  redis: RedisTestSpace;
  schema: PgTestSchema;
  /** The class's lease in Redis (`<token> <nodeId>`), null when nobody holds it. */
  leaseOf(classId: string): Promise<string | null>;
  /** The node whose lease on `classId` Redis holds, among `among` (all nodes unless given); waits for one. */
  ownerOf(classId: string, among?: readonly ClusterNodeProcess[]): Promise<ClusterNodeProcess>;
  /** Kills every node still running, removes their data directories, the schema and the Redis keys. */
  stop(): Promise<void>;
}

export interface ProcessClusterOptions {
  leaseTtlMs: number;
  /** Added to node `index`'s environment (0-based). */
  env?: (index: number) => Record<string, string>;
}

export async function startProcessCluster(
  count: number,
  { leaseTtlMs, env = () => ({}) }: ProcessClusterOptions,
): Promise<ProcessCluster> {
  const redis = await createRedisSpace();
  const schema = await createTestSchema();
  const nodes: ClusterNodeProcess[] = [];
  const dataDirs: string[] = [];
  const stop = async () => {
    for (const node of nodes.splice(0)) {
      node.child.kill('SIGKILL');
      await node.exited;
    }
    for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    await schema.drop();
    await redis.drop();
  };
  try {
    const ports = await Promise.all(Array.from({ length: count }, freePort));
    const started = await Promise.allSettled(
      ports.map(async (port, i) => {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-cluster-'));
        dataDirs.push(dataDir);
        const p = await startServerProcess({
          PORT: String(port),
          DATA_DIR: dataDir,
          AUTH_SECRET: TEST_SECRET,
          DATABASE_URL: schema.schemaUrl,
          REDIS_URL: redis.url,
          NODE_ID: `n${i + 1}`,
          CLUSTER_ADVERTISE_URL: `http://127.0.0.1:${port}`,
          CLUSTER_SECRET: CLUSTER_TEST_SECRET,
          CLUSTER_KEY_PREFIX: redis.keyPrefix,
          CLUSTER_LEASE_TTL_MS: String(leaseTtlMs),
          ...env(i),
        });
        return { ...p, nodeId: `n${i + 1}`, port };
      }),
    );
    for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await stop();
    throw error;
  }
  const probe = redis.connect();
  const all = [...nodes];
  const leaseOf = (classId: string) => probe.get(`${redis.keyPrefix}lease:${classId}`);
  return {
    nodes: all,
    redis,
    schema,
    leaseOf,
    async ownerOf(classId, among = all) {
      const value = await waitFor(() => leaseOf(classId), {
        message: `class ${classId} has an owner`,
      });
      const node = among.find((n) => n.nodeId === value.split(' ')[1]);
      if (!node) throw new Error(`the lease of ${classId} names no node of these: ${value}`);
      return node;
    },
    stop,
  };
}
