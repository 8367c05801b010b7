// The cluster's live nodes: each node's advertise URL under a key that expires unless the node keeps
// renewing it (heartbeat), so a node killed with -9 drops out of the registry within one TTL.
import type { Redis } from 'ioredis';

export interface RegistryOptions {
  keyPrefix: string;
  ttlMs: number;
}

export class NodeRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly options: RegistryOptions,
  ) {}

  /** Registers (or re-registers) a node; also the heartbeat. */
  async heartbeat(nodeId: string, advertiseUrl: string): Promise<void> {
    await this.redis.set(this.key(nodeId), advertiseUrl, 'PX', this.options.ttlMs);
  }

  /** A live node's advertise URL; undefined once it stopped renewing (or left). */
  async urlOf(nodeId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(nodeId))) ?? undefined;
  }

  async leave(nodeId: string): Promise<void> {
    await this.redis.del(this.key(nodeId));
  }

  private key(nodeId: string): string {
    return `${this.options.keyPrefix}node:${nodeId}`;
  }
}
