// Child-process entry: one node of the stock alternative, a plain Hocuspocus server (no auth, no storage) with
// @hocuspocus/extension-redis, so every node holding a document applies every update of it and relays it
// through Redis pub/sub. Settings come from its environment (set by nodes.ts); prints the same
// `listening on` line as Tandem.
import { Redis } from '@hocuspocus/extension-redis';
import { Server } from '@hocuspocus/server';

const redisUrl = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const server = new Server({
  port: Number(process.env.BENCH_PORT ?? 0),
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  extensions: [
    new Redis({
      host: redisUrl.hostname,
      port: Number(redisUrl.port || 6379),
      // The bench's throwaway key prefix: channels of concurrent runs (and other users of Redis) never meet.
      prefix: process.env.BENCH_REDIS_PREFIX ?? 'hocuspocus',
      identifier: process.env.BENCH_NODE_ID ?? `stock-${process.pid}`,
    }),
  ],
});
await server.listen();
process.stdout.write(`listening on http://127.0.0.1:${server.address.port}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.destroy().finally(() => process.exit(0));
  });
}
