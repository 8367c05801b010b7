// Child-process entry: a stock Hocuspocus server with no extensions (no auth, no storage), the baseline the
// issue compares Tandem against. Prints the same `listening on` line as Tandem.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
process.stdout.write(`listening on http://127.0.0.1:${server.address.port}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.destroy().finally(() => process.exit(0));
  });
}
