// Talks to a server child process started with `--inspect=127.0.0.1:<port>` over the Chrome DevTools protocol:
// forces a full garbage collection and reads the live JS heap, or writes a heap snapshot. Benchmarks only: the
// server itself exposes nothing for this.
import fs from 'node:fs';
import net from 'node:net';

/** A free loopback TCP port for `--inspect` (the inspector has no "port 0, print it" that we can parse portably). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly chunkListeners = new Set<(chunk: string) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (event) => {
      const msg = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: { chunk?: string };
      };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk' && msg.params?.chunk !== undefined) {
        for (const listener of this.chunkListeners) listener(msg.params.chunk);
        return;
      }
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
    ws.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('inspector connection closed'));
      this.pending.clear();
    });
  }

  /** Connects to the first target of the inspector listening on `port`. */
  static async connect(port: number): Promise<InspectorSession> {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
      webSocketDebuggerUrl: string;
    }[];
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) throw new Error(`no inspector target on port ${port}`);
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot open inspector at ${url}`)), {
        once: true,
      });
    });
    return new InspectorSession(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Full GC, then the live JS heap in bytes (what is still reachable). */
  async liveHeapBytes(): Promise<{ usedBytes: number; totalBytes: number }> {
    await this.send('HeapProfiler.collectGarbage');
    const usage = await this.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize };
  }

  /** Writes a `.heapsnapshot` (open it in Chrome DevTools → Memory; compare two with "Comparison"). */
  async writeHeapSnapshot(file: string): Promise<void> {
    const out = fs.createWriteStream(file);
    const onChunk = (chunk: string) => out.write(chunk);
    this.chunkListeners.add(onChunk);
    try {
      await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.chunkListeners.delete(onChunk);
      await new Promise<void>((resolve) => out.end(resolve));
    }
  }

  close(): void {
    this.ws.close();
  }
}
