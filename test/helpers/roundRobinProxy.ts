// A test-only TCP load balancer in front of several nodes: each new connection goes to the next backend in
// turn, skipping ones that refuse, and bytes are piped both ways untouched (as HAProxy in TCP mode would).
// Used where HAProxy is not installed; only for tests.
import net from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** How many connections each backend port received. */
  counts: Map<number, number>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backendPorts: readonly number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const counts = new Map<number, number>();
  const sockets = new Set<net.Socket>();
  const connectTo = (client: net.Socket, attemptsLeft: number) => {
    const port = backendPorts[next++ % backendPorts.length] as number;
    const upstream = net.connect({ host: '127.0.0.1', port });
    sockets.add(upstream);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      counts.set(port, (counts.get(port) ?? 0) + 1);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.once('error', () => {
      upstream.destroy();
      if (!connected && attemptsLeft > 1 && !client.destroyed) connectTo(client, attemptsLeft - 1);
      else client.destroy();
    });
    upstream.once('close', () => {
      if (connected) client.destroy();
    });
    client.once('close', () => upstream.destroy());
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('error', () => client.destroy());
    connectTo(client, backendPorts.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
