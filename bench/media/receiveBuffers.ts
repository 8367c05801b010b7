// Larger receive buffers for every UDP socket the harness opens (the viewers' werift transports, the sources'
// sockets), so that when the busy machine does not schedule the measuring process for a moment, its own
// sockets do not overflow and count as the SFU's loss. The SFU worker and the recorders keep their defaults:
// drops there are still counted (udpDrops.ts). Capped by the kernel at net.core.rmem_max.
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';

/** Returns how many sockets got the larger buffer so far, and the smallest size the kernel granted. */
export function enlargeHarnessReceiveBuffers(
  bytes: number,
): () => { sockets: number; smallestBytes: number } {
  const createSocket = dgram.createSocket;
  let sockets = 0;
  let smallestBytes = Number.POSITIVE_INFINITY;
  dgram.createSocket = ((...args: Parameters<typeof dgram.createSocket>) => {
    const socket = createSocket(...args);
    socket.once('listening', () => {
      socket.setRecvBufferSize(bytes);
      sockets++;
      // Linux reports twice the size asked for (its bookkeeping overhead).
      smallestBytes = Math.min(smallestBytes, socket.getRecvBufferSize() / 2);
    });
    return socket;
  }) as typeof dgram.createSocket;
  // werift imports createSocket by name; this makes named imports see the wrapper too.
  syncBuiltinESMExports();
  return () => ({ sockets, smallestBytes });
}
