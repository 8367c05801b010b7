// Messages between the bench runner and its client process (Node IPC, JSON): the plan one way, progress
// and results the other.
import type { LatencySummary } from './latency.ts';
import type { ServerKind } from './options.ts';

export interface ClientPlan {
  server: ServerKind;
  /** `ws://127.0.0.1:<port>` */
  wsOrigin: string;
  /** Clients per document, one entry per document. */
  docs: {
    name: string;
    clients: number;
    /** Cluster benches: the `ws://` origins this document's clients enter at, in turn (default wsOrigin). */
    entries?: string[];
    /** Tandem in a cluster: the class named in `/collab?class=` and in the tokens (default auth.classId). */
    classId?: string;
  }[];
  /** Tandem only: HS256 secret and class the clients' tokens are minted for. */
  auth?: { secret: string; classId: string };
  minIntervalMs: number;
  maxIntervalMs: number;
  warmupSec: number;
  durationSec: number;
  seedChars: number;
}

export interface ClientResult {
  clients: number;
  documents: number;
  connectSec: number;
  windowSec: number;
  /** Keystrokes sent inside the measured window (each one a Yjs update). */
  editsSent: number;
  /** Of those, edits every peer in the document received. */
  editsComplete: number;
  deliveriesExpected: number;
  deliveries: number;
  perPeer: LatencySummary;
  allPeers: LatencySummary;
  clientCpu: { userSec: number; systemSec: number; corePct: number };
  /** Event-loop delay of the client process during the window: high values mean the clients, not the server, were the bottleneck. */
  clientLoopDelayP99Ms: number;
  /** The documents converged: every client ended with the same text. */
  converged: boolean;
}

export type ToClient = { type: 'run'; plan: ClientPlan };

export type FromClient =
  | { type: 'connected'; clients: number; seconds: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'result'; result: ClientResult }
  | { type: 'error'; message: string };
