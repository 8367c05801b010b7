// Samples a Tandem server child's memory from outside: RSS from /proc, the live JS heap after a forced full GC
// (through the inspector), and from /metrics what V8 counts outside the heap (Buffers, ArrayBuffers) and what
// the server holds (connections, loaded documents).
import type { InspectorSession } from './inspector.ts';
import { readMemory } from './procStats.ts';

export interface MemorySample {
  /** Cycles (or rounds) done when sampled. */
  at: number;
  rssBytes: number;
  /** Highest RSS so far (VmHWM). */
  peakRssBytes: number;
  /** Reachable JS heap after a full GC. */
  liveHeapBytes: number;
  /** V8 heap reserved (used + free pages). */
  heapTotalBytes: number;
  /** Memory outside the JS heap held by JS objects (Buffers, Uint8Arrays), after the same GC. */
  externalBytes: number;
  connections: number;
  documentsLoaded: number;
}

/** One Prometheus sample's value, summed over its label sets (absent → 0). */
export function metricValue(text: string, name: string): number {
  let sum = 0;
  const re = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) sum += Number(m[1]);
  return sum;
}

export async function readMetrics(origin: string): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/**
 * Waits until the server holds only `kept` connections and documents (those a long-lived client keeps open):
 * everything the cycles opened was let go.
 */
export async function waitUntilIdle(
  origin: string,
  kept: { connections: number; documents: number },
  timeoutMs = 30_000,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    const text = await readMetrics(origin);
    const connections = metricValue(text, 'tandem_ws_connections');
    const documents = metricValue(text, 'tandem_documents_loaded');
    if (connections === kept.connections && documents === kept.documents) return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `server still holds ${connections} connections and ${documents} documents after ${timeoutMs} ms ` +
          `(expected ${kept.connections} and ${kept.documents})`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function sampleMemory(
  at: number,
  pid: number,
  origin: string,
  inspector: InspectorSession,
): Promise<MemorySample> {
  const heap = await inspector.liveHeapBytes();
  const text = await readMetrics(origin);
  const memory = readMemory(pid);
  return {
    at,
    rssBytes: memory.rssBytes,
    peakRssBytes: memory.peakRssBytes,
    liveHeapBytes: heap.usedBytes,
    heapTotalBytes: heap.totalBytes,
    externalBytes: metricValue(text, 'nodejs_external_memory_bytes'),
    connections: metricValue(text, 'tandem_ws_connections'),
    documentsLoaded: metricValue(text, 'tandem_documents_loaded'),
  };
}
