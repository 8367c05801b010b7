// Two honest clients (real @hocuspocus/provider, an instructor and an assistant of the witness class) that
// edit the locked code document and the shared board throughout a fuzz run. `check()` is the invariant
// after each batch: the server answers, each witness's edit reaches the other, the locked document holds
// exactly what they wrote, a fresh reader sees the same, presence is who it claims to be, memory is bounded.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { MEDIA_PROTOCOL_VERSION } from '@tandem/shared';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitFor } from '../helpers/waitFor.ts';
import { type TokenMint, WITNESS_CLASS } from './identities.ts';
import { LOCKED_DOC, SHARED_DOC } from './targets/documents.ts';

/** Fixed client ids, so generated frames can impersonate them deterministically. */
export const WITNESS_CLIENT_IDS = [424_242, 424_243, 434_343, 434_344] as const;
const SYNC_TIMEOUT_MS = 15_000;
/** More awareness entries than this at a witness means someone flooded presence. */
const MAX_AWARENESS_STATES = 200;

export interface MemoryBounds {
  maxHeapMb: number;
  maxRssMb: number;
}

interface Editor {
  sub: string;
  socket: HocuspocusProviderWebsocket;
  code: HocuspocusProvider;
  board: HocuspocusProvider;
}

function openEditor(wsUrl: string, sub: string, token: string, clientIds: [number, number] | null): Editor {
  const socket = new HocuspocusProviderWebsocket({ url: `${wsUrl}/collab` });
  const provider = (name: string, clientId: number | undefined) => {
    const doc = new Y.Doc();
    if (clientId !== undefined) doc.clientID = clientId;
    const p = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token });
    p.attach();
    return p;
  };
  return {
    sub,
    socket,
    code: provider(LOCKED_DOC, clientIds?.[0]),
    board: provider(SHARED_DOC, clientIds?.[1]),
  };
}

function closeEditor(e: Editor) {
  e.code.destroy();
  e.board.destroy();
  e.socket.destroy();
}

const text = (p: HocuspocusProvider) => p.document.getText('w').toString();
/** How much of `author`'s own edits `viewer` has integrated. */
const clockOf = (viewer: HocuspocusProvider, author: HocuspocusProvider) =>
  Y.decodeStateVector(Y.encodeStateVector(viewer.document)).get(author.document.clientID) ?? 0;

export class Witnesses {
  private round = 0;
  private expected = '';

  private constructor(
    private readonly httpUrl: string,
    private readonly mint: TokenMint,
    private readonly a: Editor,
    private readonly b: Editor,
    private readonly media: boolean,
  ) {}

  /** Locks code in the witness class (so fuzz students cannot write it) and connects both witnesses. */
  static async start(httpUrl: string, mint: TokenMint, opts: { media: boolean }): Promise<Witnesses> {
    const wsUrl = httpUrl.replace(/^http/, 'ws');
    const insToken = await mint.sign('wit-ins', 'instructor', WITNESS_CLASS);
    const res = await fetch(`${httpUrl}/api/classes/${WITNESS_CLASS}/locks`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${insToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ codeLocked: true, boardLocked: false }),
    });
    if (res.status !== 200) throw new Error(`locking code failed: ${res.status} ${await res.text()}`);
    const a = openEditor(wsUrl, 'wit-ins', insToken, [WITNESS_CLIENT_IDS[0], WITNESS_CLIENT_IDS[1]]);
    const b = openEditor(wsUrl, 'wit-ast', await mint.sign('wit-ast', 'assistant', WITNESS_CLASS), [
      WITNESS_CLIENT_IDS[2],
      WITNESS_CLIENT_IDS[3],
    ]);
    const w = new Witnesses(httpUrl, mint, a, b, opts.media);
    await waitFor(() => [a.code, a.board, b.code, b.board].every((p) => p.isSynced), {
      timeoutMs: SYNC_TIMEOUT_MS,
      message: 'witnesses synced',
    });
    a.code.setAwarenessField('cursor', { round: 0 });
    b.code.setAwarenessField('cursor', { round: 0 });
    await waitFor(() => w.presenceProblem() === undefined, {
      timeoutMs: SYNC_TIMEOUT_MS,
      message: 'witnesses see each other',
    });
    // Continue from whatever the document already holds (a restarted server keeps its data).
    w.expected = text(a.code);
    return w;
  }

  /** Runs one round of the invariant; returns the problems found (empty when all holds). */
  async check(memory: MemoryBounds): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        problems.push(`${what}: ${(error as Error).message}`);
      }
    };
    const k = ++this.round;
    await attempt('server alive (/healthz 200)', async () => {
      const res = await fetch(`${this.httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
    });
    if (problems.length) return problems;
    // Before the witnesses touch their own presence (which would heal a takeover by a higher clock).
    await attempt('presence is who it claims to be', async () => {
      const problem = this.presenceProblem();
      if (problem) throw new Error(problem);
    });
    for (const [from, to, mark] of [
      [this.a, this.b, `a${k};`],
      [this.b, this.a, `b${k};`],
    ] as const) {
      from.code.document.getText('w').insert(text(from.code).length, mark);
      from.board.document.getText('w').insert(text(from.board).length, mark);
      from.code.setAwarenessField('cursor', { round: k });
      this.expected += mark;
      // Arrival is measured by the author's clock in the receiver's state vector (on the board, students may
      // delete the mark itself); what arrived is compared with what was written below.
      await attempt(`${from.sub}'s edit reaches ${to.sub}`, () =>
        waitFor(
          () =>
            clockOf(to.code, from.code) >= clockOf(from.code, from.code) &&
            clockOf(to.board, from.board) >= clockOf(from.board, from.board),
          {
            timeoutMs: SYNC_TIMEOUT_MS,
            message: `${to.sub} has not integrated ${from.sub}'s edit`,
          },
        ).then(() => undefined),
      );
    }
    for (const e of [this.a, this.b])
      if (text(e.code) !== this.expected)
        problems.push(
          `locked document corrupted at ${e.sub}: ends ${JSON.stringify(text(e.code).slice(-60))}, expected ending ${JSON.stringify(this.expected.slice(-60))}`,
        );
    await attempt('a fresh reader sees what the witnesses see', () => this.probe());
    await attempt('memory bounded', () => this.checkMemory(memory));
    if (this.media) await attempt('media signaling still serves a join', () => this.checkMedia());
    return problems;
  }

  private async probe(): Promise<void> {
    const probe = openEditor(
      this.httpUrl.replace(/^http/, 'ws'),
      'probe',
      await this.mint.sign('wit-probe', 'observer', WITNESS_CLASS),
      null,
    );
    try {
      await waitFor(() => probe.code.isSynced && probe.board.isSynced, {
        timeoutMs: SYNC_TIMEOUT_MS,
        message: 'probe synced',
      });
      if (text(probe.code) !== this.expected)
        throw new Error(
          `locked document on the server is ${JSON.stringify(text(probe.code).slice(-60))}, expected ending ${JSON.stringify(this.expected.slice(-60))}`,
        );
      // The shared board may hold fuzz content; it must be the same everywhere.
      await waitFor(
        () => text(probe.board) === text(this.a.board) && text(this.a.board) === text(this.b.board),
        {
          timeoutMs: 5000,
          message: `board diverged: server ${JSON.stringify(text(probe.board).slice(-40))}, wit-ins ${JSON.stringify(text(this.a.board).slice(-40))}, wit-ast ${JSON.stringify(text(this.b.board).slice(-40))}`,
        },
      );
      // No fuzz traffic runs during a check, so nothing may have deleted this round's marks, except a
      // delete planted earlier for clocks that did not exist yet (or an item planted in a witness's name).
      for (const mark of [`a${this.round};`, `b${this.round};`])
        if (!text(probe.board).includes(mark))
          throw new Error(
            `board lost ${mark} written during the check: ${JSON.stringify(text(probe.board).slice(-60))}`,
          );
    } finally {
      closeEditor(probe);
    }
  }

  /** Each witness sees the other's presence, under the other's identity, among a bounded number of states. */
  private presenceProblem(): string | undefined {
    for (const [viewer, other] of [
      [this.b, this.a],
      [this.a, this.b],
    ] as const) {
      const states = viewer.code.awareness!.getStates();
      const seen = states.get(other.code.awareness!.clientID) as { user?: { id?: string } } | undefined;
      if (seen?.user?.id !== other.sub)
        return `${viewer.sub} sees ${other.sub}'s client ${seen ? `as user ${JSON.stringify(seen.user?.id)}` : 'without presence'}`;
      if (states.size > MAX_AWARENESS_STATES) return `${viewer.sub} holds ${states.size} awareness states`;
    }
    return undefined;
  }

  private async checkMemory({ maxHeapMb, maxRssMb }: MemoryBounds): Promise<void> {
    const { heapMb, rssMb } = await readMemory(this.httpUrl);
    if (heapMb > maxHeapMb) throw new Error(`heap ${heapMb.toFixed(0)} MB > ${maxHeapMb} MB`);
    if (rssMb > maxRssMb) throw new Error(`RSS ${rssMb.toFixed(0)} MB > ${maxRssMb} MB`);
  }

  private async checkMedia(): Promise<void> {
    const ws = new WebSocket(`${this.httpUrl.replace(/^http/, 'ws')}/media`);
    try {
      const replies = new Map<
        number,
        { ok: boolean; data?: { rtpCapabilities?: unknown }; error?: unknown }
      >();
      ws.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.type === 'reply') replies.set(m.id, m);
      });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      ws.send(JSON.stringify({ id: 1, method: 'getRouterRtpCapabilities' }));
      const caps = await waitFor(() => replies.get(1), {
        timeoutMs: 5000,
        message: 'rtp capabilities reply',
      });
      const token = await this.mint.sign('wit-ins', 'instructor', WITNESS_CLASS);
      ws.send(
        JSON.stringify({
          id: 2,
          method: 'join',
          data: {
            protocol: MEDIA_PROTOCOL_VERSION,
            token,
            classId: WITNESS_CLASS,
            rtpCapabilities: caps.data?.rtpCapabilities,
          },
        }),
      );
      const joined = await waitFor(() => replies.get(2), { timeoutMs: 5000, message: 'join reply' });
      if (!joined.ok) throw new Error(`join refused: ${JSON.stringify(joined.error)}`);
      ws.send(JSON.stringify({ id: 3, method: 'createTransport', data: { direction: 'recv' } }));
      const transport = await waitFor(() => replies.get(3), {
        timeoutMs: 5000,
        message: 'createTransport reply',
      });
      if (!transport.ok) throw new Error(`createTransport refused: ${JSON.stringify(transport.error)}`);
    } finally {
      ws.terminate();
    }
  }

  destroy(): void {
    closeEditor(this.a);
    closeEditor(this.b);
  }
}

/** The server's heap and RSS from /metrics (prom-client's default process metrics). */
export async function readMemory(httpUrl: string): Promise<{ heapMb: number; rssMb: number }> {
  const body = await (await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const metric = (name: string) => {
    const m = new RegExp(`^${name} (\\S+)`, 'm').exec(body);
    if (!m) throw new Error(`/metrics has no ${name}`);
    return Number(m[1]) / 2 ** 20;
  };
  return { heapMb: metric('nodejs_heap_size_used_bytes'), rssMb: metric('process_resident_memory_bytes') };
}

/** The router's RTP capabilities, used as a plausible client's in generated joins. */
export async function readRtpCapabilities(httpUrl: string): Promise<unknown> {
  const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/media`);
  try {
    const reply = new Promise<{ data?: { rtpCapabilities?: unknown } }>((resolve, reject) => {
      ws.on('message', (d) => resolve(JSON.parse(String(d))));
      ws.on('error', reject);
      ws.on('close', (code, reason) => reject(new Error(`/media closed ${code} ${reason}`)));
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ id: 1, method: 'getRouterRtpCapabilities' }));
    return (await reply).data?.rtpCapabilities;
  } finally {
    ws.terminate();
  }
}
