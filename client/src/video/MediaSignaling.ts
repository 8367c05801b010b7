// The media signaling socket (/media): JSON requests with ids and their replies (validated against the
// shared schemas), server notifications, and how the socket closed.
import {
  type MediaMethod,
  type MediaNotification,
  type MediaReplyData,
  type MediaRequestInput,
  type MediaServerMessage,
  mediaReplyDataSchemas,
  mediaServerMessageSchema,
  type ReplyError,
} from '@tandem/shared';
import * as v from 'valibot';

export const REQUEST_TIMEOUT_MS = 15_000;

export class MediaRequestError extends Error {
  override name = 'MediaRequestError';
  constructor(
    readonly code: ReplyError['code'] | 'timeout' | 'closed',
    message: string,
  ) {
    super(message);
  }
}

type DataOf<M extends MediaMethod> = Extract<MediaRequestInput, { method: M }>['data'];
type Pending = {
  resolve(data: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
};

/** `?class=` lets any node of a cluster send the socket to the class's owner (the join names it again). */
export function mediaUrl(location: Pick<Location, 'protocol' | 'host'>, classId: string): string {
  const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/media`;
  return `${base}?class=${encodeURIComponent(classId)}`;
}

export class MediaSignaling {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  onNotification: (n: MediaNotification) => void = () => {};
  onClose: (code: number, reason: string) => void = () => {};

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (e) => this.#handle(e.data));
    ws.addEventListener('close', (e) => {
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new MediaRequestError('closed', e.reason || `media connection closed (${e.code})`));
      }
      this.#pending.clear();
      this.onClose(e.code, e.reason);
    });
  }

  static open(url: string): Promise<MediaSignaling> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const signaling = new MediaSignaling(ws);
      const fail = (e: CloseEvent) =>
        reject(new MediaRequestError('closed', e.reason || `could not reach the media server (${e.code})`));
      ws.addEventListener('close', fail, { once: true });
      ws.addEventListener(
        'open',
        () => {
          ws.removeEventListener('close', fail);
          resolve(signaling);
        },
        { once: true },
      );
    });
  }

  request<M extends MediaMethod>(method: M, data?: DataOf<M>): Promise<MediaReplyData<M>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#ws.readyState !== WebSocket.OPEN) {
        reject(new MediaRequestError('closed', 'media connection is not open'));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new MediaRequestError('timeout', `the media server did not answer ${method}`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (raw) => {
          const parsed = v.safeParse(mediaReplyDataSchemas[method], raw);
          if (parsed.success) resolve(parsed.output as MediaReplyData<M>);
          else reject(new MediaRequestError('internal', `unexpected reply to ${method}`));
        },
        reject,
        timer,
      });
      this.#ws.send(JSON.stringify({ id, method, data: data ?? {} }));
    });
  }

  close(code = 1000, reason = 'left'): void {
    if (this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(code, reason);
  }

  #handle(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: MediaServerMessage;
    try {
      message = v.parse(mediaServerMessageSchema, JSON.parse(raw));
    } catch {
      return; // A message we do not understand (a newer server?) is ignored rather than fatal.
    }
    if (message.type === 'notification') {
      this.onNotification(message);
      return;
    }
    const pending = message.id === null ? undefined : this.#pending.get(message.id);
    if (!pending || message.id === null) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.data);
    else pending.reject(new MediaRequestError(message.error.code, message.error.message));
  }
}
