// A real webhook receiver for tests: node:http on port 0 (or a given port), recording every request (headers,
// raw body, arrival time) and answering with whatever `respond` says — a status, headers and body, or
// `'hang'` to keep the request open. `expectSigned` checks a request with the documented verification.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS, type WebhookEvent, webhookEventSchema } from '@tandem/shared';
import * as v from 'valibot';
import { verifySignature } from '../../../server/src/webhooks/verifySignature.ts';

export const WEBHOOK_TEST_SECRET = 'webhook-secret-0123456789abcdef-0123456789';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** 1-based arrival number. */
  n: number;
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';
export type Respond = (request: Received) => Answer;

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  respond: Respond;
  /** The events received, parsed (in arrival order). */
  events(): WebhookEvent[];
  close(): Promise<void>;
}

export async function startReceiver(respond: Respond = () => ({ status: 200 }), port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        n: received.length + 1,
      };
      received.push(request);
      const answer = receiver.respond(request);
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${bound}/hooks/tandem`,
    port: bound,
    received,
    respond,
    events: () => received.map((r) => v.parse(webhookEventSchema, JSON.parse(r.body))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/** A port nothing listens on (bound once, then released): a receiver that is down. */
export async function freePort(): Promise<number> {
  const probe = await startReceiver();
  await probe.close();
  return probe.port;
}

/** Checks a request as a receiver would; returns the parsed event. */
export function expectSigned(request: Received, secret = WEBHOOK_TEST_SECRET): WebhookEvent {
  const header = request.headers[WEBHOOK_HEADERS.signature.toLowerCase()];
  const check = verifySignature({ secret, header: String(header), body: request.body });
  if (!check.ok) throw new Error(`signature refused: ${check.reason}`);
  const event = v.parse(webhookEventSchema, JSON.parse(request.body));
  if (request.headers[WEBHOOK_HEADERS.id.toLowerCase()] !== event.id)
    throw new Error('Tandem-Webhook-Id differs');
  if (request.headers[WEBHOOK_HEADERS.event.toLowerCase()] !== event.type)
    throw new Error('Tandem-Event differs');
  return event;
}

export function attemptOf(request: Received): number {
  return Number(request.headers[WEBHOOK_HEADERS.attempt.toLowerCase()]);
}
