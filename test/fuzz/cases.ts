// A fuzz case is plain data (a WebSocket path and frames, or a raw HTTP request) so that a finding can be
// written to a file and replayed; running one reports what the server did and whether that was a problem.
import net from 'node:net';
import WebSocket from 'ws';

export const TARGETS = ['collab', 'yjs', 'media', 'rest'] as const;
export type TargetName = (typeof TARGETS)[number];

/** One frame; `$T`, `$P`, `$C`, `$PEER` in text frames are replaced by ids from earlier media replies. */
export type WsStep = ({ hex: string } | { text: string }) & { how?: string; awaitReply?: boolean };

export interface WsCase {
  kind: 'ws';
  target: TargetName;
  path: string;
  steps: WsStep[];
  /** Media: every request with a readable envelope must be answered (with its id) unless the socket closes. */
  expectReplies?: boolean;
}

export interface HttpCase {
  kind: 'http';
  target: TargetName;
  /** The request exactly as sent, latin1. */
  raw: string;
  how: string;
  /** The request promises more body than it sends: the server must still answer, by its body deadline. */
  incomplete?: boolean;
  /** A valid request sent first (e.g. posting a chat message) whose reply's `message.id` replaces `$MSG`. */
  setup?: { method: string; path: string; body: unknown; token: string };
}

export type FuzzCase = WsCase | HttpCase;

export interface Outcome {
  /** What happened, coarse enough to tally: `close 4400`, `http 404`, `open`, `reply bad_request`... */
  result: string;
  /** Set when the server misbehaved towards this request alone (a 5xx, an internal error, no answer). */
  problem?: string;
}

const SETTLE_QUIET_MS = 150;
const SETTLE_MAX_MS = 1500;
const REPLY_TIMEOUT_MS = 8000;
/** A complete request must be answered within this, even on a loaded machine. */
const HTTP_TIMEOUT_MS = 8000;
/** An incomplete request (body shorter than its Content-Length) must be answered (408, 400) or closed by then. */
export const BODY_DEADLINE_MS = Number(process.env.FUZZ_BODY_DEADLINE_MS ?? 12_000);

export function runCase(baseHttpUrl: string, c: FuzzCase): Promise<Outcome> {
  return c.kind === 'ws' ? runWsCase(baseHttpUrl.replace(/^http/, 'ws'), c) : runHttpCase(baseHttpUrl, c);
}

const MEDIA_IDS: Record<string, (data: Record<string, unknown>) => unknown> = {
  $T: (d) => d.transportId,
  $P: (d) => d.producerId,
  $C: (d) => d.consumerId,
  $PEER: (d) => (d.you as { peerId?: string } | undefined)?.peerId,
};

function runWsCase(baseWsUrl: string, c: WsCase): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${baseWsUrl}${c.path}`, {
      handshakeTimeout: REPLY_TIMEOUT_MS,
      perMessageDeflate: false,
    });
    const ids = new Map<string, unknown>();
    const awaiting = new Map<number, () => void>();
    const unanswered = new Set<number>();
    let problem: string | undefined;
    let replies = '';
    let lastMessageAt = Date.now();
    let finished = false;
    const finish = (result: string) => {
      if (finished) return;
      finished = true;
      clearInterval(settle);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      if (!problem && c.expectReplies && unanswered.size && !result.startsWith('close'))
        problem = `no reply to request id ${[...unanswered][0]} within ${REPLY_TIMEOUT_MS} ms`;
      resolve({ result, ...(problem ? { problem } : {}) });
    };
    let sentAt = 0;
    const settle = setInterval(() => {
      if (!sentAt) return;
      const now = Date.now();
      const waitingForReplies = c.expectReplies && unanswered.size > 0;
      if (
        waitingForReplies
          ? now - sentAt > REPLY_TIMEOUT_MS
          : now - lastMessageAt > SETTLE_QUIET_MS || now - sentAt > SETTLE_MAX_MS
      )
        finish(`open${replies}`);
    }, 25);
    ws.on('unexpected-response', (_req, res) => {
      if ((res.statusCode ?? 0) >= 500) problem = `upgrade answered ${res.statusCode}`;
      finish(`http ${res.statusCode}`);
    });
    ws.on('error', (error) =>
      finish(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`.slice(0, 60)),
    );
    ws.on('close', (code, reason) => {
      if (code === 1011) problem = `closed 1011 (internal error): ${reason}`;
      finish(`close ${code}`);
    });
    ws.on('message', (data, isBinary) => {
      lastMessageAt = Date.now();
      if (isBinary || !c.expectReplies) return;
      let msg: {
        type?: string;
        id?: number | null;
        ok?: boolean;
        data?: Record<string, unknown>;
        error?: { code?: string; message?: string };
      };
      try {
        msg = JSON.parse(String(data));
      } catch {
        problem = 'server sent a text frame that is not JSON';
        return;
      }
      if (msg.type !== 'reply') return;
      if (msg.ok === false && msg.error?.code === 'internal')
        problem = `internal error reply: ${msg.error.message}`;
      if (msg.ok === false && !replies.includes(msg.error?.code ?? '?')) replies += ` ${msg.error?.code}`;
      if (msg.ok && msg.data)
        for (const [k, get] of Object.entries(MEDIA_IDS))
          if (get(msg.data) !== undefined) ids.set(k, get(msg.data));
      if (typeof msg.id === 'number') {
        unanswered.delete(msg.id);
        awaiting.get(msg.id)?.();
      }
    });
    ws.on('open', async () => {
      for (const step of c.steps) {
        if (finished || ws.readyState !== WebSocket.OPEN) return;
        if ('hex' in step) ws.send(Buffer.from(step.hex, 'hex'));
        else {
          const text = step.text.replace(/"\$(T|P|C|PEER)"/g, (m) =>
            JSON.stringify(ids.get(m.slice(1, -1)) ?? 'missing'),
          );
          const id = envelopeId(text);
          if (c.expectReplies && id !== undefined) unanswered.add(id);
          ws.send(text);
          if (step.awaitReply && id !== undefined)
            await new Promise<void>((r) => {
              awaiting.set(id, r);
              setTimeout(r, REPLY_TIMEOUT_MS);
            });
        }
      }
      sentAt = Date.now();
      lastMessageAt = Math.max(lastMessageAt, sentAt);
    });
  });
}

/** The id of a request the server can read an envelope of (an object with a safe integer id and a method). */
function envelopeId(text: string): number | undefined {
  try {
    const v = JSON.parse(text);
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Number.isSafeInteger(v.id) &&
      v.id >= 0 &&
      typeof v.method === 'string' &&
      v.method.length <= 64
    )
      return v.id;
  } catch {}
  return undefined;
}

async function runHttpCase(baseHttpUrl: string, c: HttpCase): Promise<Outcome> {
  let raw = c.raw;
  if (c.setup) {
    let id = 'missing';
    try {
      const res = await fetch(`${baseHttpUrl}${c.setup.path}`, {
        method: c.setup.method,
        headers: { authorization: `Bearer ${c.setup.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(c.setup.body),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      id = ((await res.json()) as { message?: { id?: string } }).message?.id ?? 'missing';
    } catch {}
    raw = raw.replace('$MSG', id);
  }
  return sendRaw(baseHttpUrl, { ...c, raw });
}

function sendRaw(baseHttpUrl: string, c: HttpCase): Promise<Outcome> {
  const { hostname, port } = new URL(baseHttpUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let response = '';
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const timeoutMs = c.incomplete ? BODY_DEADLINE_MS : HTTP_TIMEOUT_MS;
    const timer = setTimeout(() => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      if (status) finish({ result: `http ${status}` });
      else
        finish({
          result: 'timeout',
          problem: c.incomplete
            ? `request with a body shorter than its Content-Length held open without an answer for ${timeoutMs} ms`
            : `no response within ${timeoutMs} ms`,
        });
    }, timeoutMs);
    socket.on('error', (e) => finish({ result: `error ${(e as NodeJS.ErrnoException).code}` }));
    socket.on('data', (d) => {
      response += d.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      if (!status) return;
      const code = Number(status);
      // Wait for the head and a little body to quote it in the finding.
      if (
        response.includes('\r\n\r\n') &&
        (code < 500 || response.length > 200 || /\r\n\r\n[\s\S]*\}/.test(response))
      )
        finish({ result: `http ${status}`, ...serverError(response) });
    });
    socket.on('end', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response)?.[1];
      finish({ result: status ? `http ${status}` : 'closed without response', ...serverError(response) });
    });
    socket.write(Buffer.from(c.raw, 'latin1'));
  });
}

/** A 5xx is a problem unless it is the documented 503 `unavailable` (media switched off, not ready). */
function serverError(response: string): { problem?: string } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
  if (status < 500) return {};
  const body = response.split('\r\n\r\n')[1] ?? '';
  if (status === 503 && body.includes('"code":"unavailable"')) return {};
  return { problem: `answered ${status}: ${body.slice(0, 160)}` };
}
