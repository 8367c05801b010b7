// A media signaling client for tests: requests with ids (replies validated against the shared schemas),
// recorded notifications to wait for, raw frames for bad-input tests, and the close code/reason.
import {
  type MediaEventName,
  type MediaMethod,
  type MediaNotification,
  type MediaNotificationData,
  type MediaReplyData,
  type MediaRequestInput,
  mediaReplyDataSchemas,
  mediaServerMessageSchema,
  type ReplyError,
} from '@tandem/shared';
import * as v from 'valibot';
import WebSocket from 'ws';
import { waitFor } from './waitFor.ts';

export class MediaRequestError extends Error {
  override name = 'MediaRequestError';
  constructor(
    readonly code: ReplyError['code'],
    message: string,
  ) {
    super(message);
  }
}

type DataOf<M extends MediaMethod> = Extract<MediaRequestInput, { method: M }>['data'];
type RawReply = { id: number | null; ok: boolean; data?: unknown; error?: ReplyError };

export class MediaSignalClient {
  readonly notifications: MediaNotification[] = [];
  /** Replies nobody waited for (errors to raw or unreadable frames), in arrival order. */
  readonly strayReplies: RawReply[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly listeners: ((notification: MediaNotification) => void)[] = [];
  #nextId = 1;
  readonly #pending = new Map<number, (reply: RawReply) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => this.#handle(String(raw)));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      // No reply comes now: requests in flight fail (as the browser client's do) instead of waiting forever.
      for (const [id, resolve] of this.#pending) {
        resolve({ id, ok: false, error: { code: 'unavailable', message: `socket closed (${code})` } });
      }
      this.#pending.clear();
    });
  }

  /** `classId` is sent as `?class=`, as the browser does, so a cluster node forwards the socket to its owner. */
  static async connect(
    wsOrigin: string,
    opts: { autoPong?: boolean; classId?: string } = {},
  ): Promise<MediaSignalClient> {
    const query = opts.classId === undefined ? '' : `?class=${encodeURIComponent(opts.classId)}`;
    const ws = new WebSocket(`${wsOrigin}/media${query}`, { autoPong: opts.autoPong ?? true });
    const client = new MediaSignalClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  async request<M extends MediaMethod>(method: M, data?: DataOf<M>): Promise<MediaReplyData<M>> {
    const reply = await this.requestRaw({ method, data });
    if (!reply.ok) throw new MediaRequestError(reply.error!.code, reply.error!.message);
    return v.parse(mediaReplyDataSchemas[method], reply.data) as MediaReplyData<M>;
  }

  /** Sends `{ id, ...fields }` as-is (no validation) and resolves with the reply to that id. */
  requestRaw(fields: Record<string, unknown>): Promise<RawReply> {
    const id = this.#nextId++;
    if (this.closed) {
      const message = `socket closed (${this.closed.code})`;
      return Promise.resolve({ id, ok: false, error: { code: 'unavailable', message } });
    }
    const reply = new Promise<RawReply>((resolve) => this.#pending.set(id, resolve));
    this.ws.send(JSON.stringify({ id, ...fields }));
    return reply;
  }

  sendFrame(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  async waitForNotification<E extends MediaEventName>(
    event: E,
    predicate: (data: MediaNotificationData<E>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<MediaNotificationData<E>> {
    const found = await waitFor(
      () =>
        this.notifications.find((n) => n.event === event && predicate(n.data as MediaNotificationData<E>)),
      { timeoutMs, message: `notification ${event}` },
    );
    return found.data as MediaNotificationData<E>;
  }

  received<E extends MediaEventName>(event: E): MediaNotificationData<E>[] {
    return this.notifications.filter((n) => n.event === event).map((n) => n.data as MediaNotificationData<E>);
  }

  waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.closed, { timeoutMs, message: 'socket close' });
  }

  close(): void {
    this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }

  #handle(text: string): void {
    // The server must only ever send messages that match the shared schema.
    const message = v.parse(mediaServerMessageSchema, JSON.parse(text));
    if (message.type === 'notification') {
      this.notifications.push(message);
      for (const listener of this.listeners) listener(message);
      return;
    }
    const reply: RawReply = message.ok
      ? { id: message.id, ok: true, data: message.data }
      : { id: message.id, ok: false, error: message.error };
    const resolve = reply.id === null ? undefined : this.#pending.get(reply.id);
    if (!resolve) {
      this.strayReplies.push(reply);
      return;
    }
    this.#pending.delete(reply.id as number);
    resolve(reply);
  }
}
