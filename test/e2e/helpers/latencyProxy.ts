// A TCP proxy in front of the test server that delays every chunk by a fixed one-way latency, in both
// directions and in order: pages opened through it behave like a participant on a slower network (page
// loads, /collab and /media signaling alike; WebRTC media itself goes straight to the SFU).
import net from 'node:net';

export interface LatencyProxy {
  /** `http://127.0.0.1:<port>`: open pages here instead of at the server. */
  origin: string;
  close(): Promise<void>;
}

export async function startLatencyProxy(target: URL, oneWayMs: number): Promise<LatencyProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    delayInto(client, upstream, oneWayMs);
    delayInto(upstream, client, oneWayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Timers of equal delay fire in the order they were set, so chunks keep their order. */
function delayInto(from: net.Socket, to: net.Socket, delayMs: number): void {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => {
    setTimeout(() => to.end(), delayMs);
  });
}
