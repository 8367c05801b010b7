// A cluster node's settings (REDIS_URL and the CLUSTER_* variables), checked together: a cluster needs
// PostgreSQL, an address other nodes reach, a shared secret and the same token keys on every node.
import crypto from 'node:crypto';
import os from 'node:os';
import { ConfigError } from './ConfigError.ts';
import type { ParsedEnv } from './envSchema.ts';

export interface ClusterConfig {
  redisUrl: string;
  /** This node's name in the registry and on its leases (NODE_ID, else hostname and a random suffix). */
  nodeId: string;
  /** Where other nodes reach this one (http://host:port); forwarded connections go there. */
  advertiseUrl: string;
  /** Signs the header that carries a forwarded connection's client address between nodes. */
  secret: string;
  /** Prefix of every Redis key the cluster uses (several clusters can share one Redis). */
  keyPrefix: string;
  /** A class lease (and a node's registry entry) expires this long after its last renewal. */
  leaseTtlMs: number;
  /** How often leases and the registry entry are renewed (below half the TTL). */
  renewMs: number;
  /** A class with no documents loaded and no call here for this long is released (its lease freed). */
  idleReleaseMs: number;
}

/** Off without REDIS_URL; REDIS_URL needs DATABASE_URL (the nodes share PostgreSQL), an advertise URL and a secret. */
export function clusterConfigOf(e: ParsedEnv, nodeIdDefault: () => string): ClusterConfig | undefined {
  if (!e.REDIS_URL) return undefined;
  if (!e.DATABASE_URL) {
    throw new ConfigError(
      'invalid REDIS_URL: a cluster needs DATABASE_URL too (the nodes share PostgreSQL); unset REDIS_URL for one node on SQLite',
    );
  }
  if (!e.CLUSTER_ADVERTISE_URL) {
    throw new ConfigError(
      'invalid CLUSTER_ADVERTISE_URL: required when REDIS_URL is set (the http://host:port other nodes reach this one at)',
    );
  }
  if (!e.CLUSTER_SECRET) {
    throw new ConfigError(
      'invalid CLUSTER_SECRET: required when REDIS_URL is set (the same ≥ 32 characters on every node; e.g. `openssl rand -hex 32`)',
    );
  }
  if (!e.AUTH_SECRET && !e.AUTH_PUBLIC_KEY && !e.AUTH_JWKS_URL) {
    throw new ConfigError(
      'invalid AUTH_SECRET: a cluster node needs AUTH_SECRET, AUTH_PUBLIC_KEY or AUTH_JWKS_URL, the same on every node (a generated secret would differ per node)',
    );
  }
  const renewMs = e.CLUSTER_RENEW_MS ?? Math.floor(e.CLUSTER_LEASE_TTL_MS / 3);
  if (renewMs * 2 >= e.CLUSTER_LEASE_TTL_MS) {
    throw new ConfigError('invalid CLUSTER_RENEW_MS: must be below half of CLUSTER_LEASE_TTL_MS');
  }
  return {
    redisUrl: e.REDIS_URL,
    nodeId: e.NODE_ID ?? nodeIdDefault(),
    advertiseUrl: e.CLUSTER_ADVERTISE_URL.replace(/\/$/, ''),
    secret: e.CLUSTER_SECRET,
    keyPrefix: e.CLUSTER_KEY_PREFIX,
    leaseTtlMs: e.CLUSTER_LEASE_TTL_MS,
    renewMs,
    idleReleaseMs: e.CLUSTER_IDLE_RELEASE_MS,
  };
}

/** Only read when a cluster is configured: unique across restarts so a restarted node never holds a dead one's leases. */
export function defaultNodeId(): string {
  const host =
    os
      .hostname()
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .slice(0, 48) || 'node';
  return `${host}-${crypto.randomBytes(4).toString('hex')}`;
}
