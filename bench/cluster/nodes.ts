// Starts the three nodes of one system under test as child processes (so each node's CPU is its own) and
// stops them: Tandem nodes sharing a throwaway PostgreSQL schema and a throwaway Redis key prefix, or stock
// Hocuspocus nodes with @hocuspocus/extension-redis on such a prefix. For Tandem it also places a class on
// a chosen owner (a class-scoped REST request makes the node it lands on take the lease) and reads owners
// back from Redis.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mintToken } from '../../server/src/auth/tokens.ts';
import { createTestSchema, type PgTestSchema } from '../../test/helpers/pg.ts';
import { createRedisSpace, type RedisTestSpace } from '../../test/helpers/redis.ts';
import { BENCH_AUTH_SECRET } from '../collab/serverProcess.ts';

export type SystemKind = 'tandem' | 'stock';

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** Only ever used on loopback, between the bench's own nodes. */
const CLUSTER_SECRET = 'tandem-bench-cluster-secret-0123456789abcdef';

export interface NodeProcess {
  nodeId: string;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
}

export interface Cluster {
  system: SystemKind;
  nodes: NodeProcess[];
  /** The exact command and environment of one node, for the report (secrets masked). */
  command: string;
  redisUrl: string;
  /** Tandem: the PostgreSQL port the nodes connect to. */
  dbPort?: number;
  /** Tandem: the node id holding the class's lease, if any. */
  ownerOf(classId: string): Promise<string | undefined>;
  /** Tandem: makes `nodes[index]` the class's owner (a REST request there takes the free lease). */
  placeClass(classId: string, index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(system: SystemKind, root: string, count = 3): Promise<Cluster> {
  const redis = await createRedisSpace();
  const schema = system === 'tandem' ? await createTestSchema() : undefined;
  const children: { child: ChildProcess; exited: Promise<unknown>; dataDir?: string }[] = [];
  const stop = async () => {
    await Promise.all(children.map(({ child, exited }) => stopChild(child, exited)));
    for (const { dataDir } of children) if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await redis.drop();
    await schema?.drop();
  };
  try {
    const ports = await Promise.all(Array.from({ length: count }, freePort));
    const started = ports.map((port, i) => {
      const nodeId = `${system === 'tandem' ? 'n' : 's'}${i + 1}`;
      const dataDir =
        system === 'tandem' ? fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-clusterbench-')) : undefined;
      const env =
        system === 'tandem'
          ? tandemEnv(port, nodeId, dataDir!, schema!, redis)
          : {
              BENCH_PORT: String(port),
              BENCH_NODE_ID: nodeId,
              BENCH_REDIS_URL: redis.url,
              BENCH_REDIS_PREFIX: redis.keyPrefix,
            };
      const entry = system === 'tandem' ? 'server/src/main.ts' : 'bench/cluster/stockRedisNode.ts';
      const p = spawnNode(root, entry, env, nodeId);
      children.push({ ...p, ...(dataDir ? { dataDir } : {}) });
      return p.listening.then((origin) => ({ nodeId, pid: p.child.pid!, origin, env, entry }));
    });
    const nodes = await Promise.all(started);
    const first = nodes[0]!;
    const shown = Object.entries(first.env)
      .map(([k, v]) => `${k}=${/SECRET|DATA_DIR|DATABASE_URL/.test(k) ? '<…>' : v}`)
      .join(' ');
    const leases = redis.connect();
    const ownerOf = async (classId: string) =>
      (await leases.get(`${redis.keyPrefix}lease:${classId}`))?.split(' ')[1];
    return {
      system,
      nodes: nodes.map(({ nodeId, pid, origin }) => ({ nodeId, pid, origin })),
      command: `${shown} node --import tsx ${first.entry}`,
      redisUrl: redis.url,
      ...(schema ? { dbPort: Number(new URL(schema.url).port || 5432) } : {}),
      ownerOf,
      async placeClass(classId, index) {
        const node = nodes[index]!;
        const token = await mintToken(BENCH_AUTH_SECRET, {
          sub: 'placer',
          name: 'Placer',
          cls: classId,
          role: 'student',
        });
        const reply = await fetch(`${node.origin}/api/classes/${classId}/handout`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await reply.arrayBuffer();
        const owner = await ownerOf(classId);
        if (reply.status !== 200 || owner !== node.nodeId) {
          throw new Error(
            `placing ${classId} on ${node.nodeId}: HTTP ${reply.status}, owner ${owner ?? 'none'}`,
          );
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function tandemEnv(
  port: number,
  nodeId: string,
  dataDir: string,
  schema: PgTestSchema,
  redis: RedisTestSpace,
): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_SECRET: BENCH_AUTH_SECRET,
    LOG_LEVEL: 'warn',
    MEDIA_ENABLED: 'false',
    DATABASE_URL: schema.schemaUrl,
    REDIS_URL: redis.url,
    NODE_ID: nodeId,
    CLUSTER_ADVERTISE_URL: `http://127.0.0.1:${port}`,
    CLUSTER_SECRET,
    CLUSTER_KEY_PREFIX: redis.keyPrefix,
  };
}

function spawnNode(root: string, entry: string, env: Record<string, string>, label: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output += d;
    // Stock Hocuspocus logs every store the Redis extension's lock skips (on every node but one): expected.
    const shown = d
      .split('\n')
      .filter((line) => line && !line.includes('Another instance is already storing'))
      .join('\n');
    if (shown) process.stderr.write(`[${label}] ${shown}\n`);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`no "listening on" line after ${STARTUP_TIMEOUT_MS} ms`),
      STARTUP_TIMEOUT_MS,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${label}: ${why}\n${output}`));
    };
    const check = () => {
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve(url);
    };
    child.stdout?.on('data', check);
    exited.then((code) => fail(`exited with code ${code} before listening`));
  });
  return { child, exited, listening };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}
