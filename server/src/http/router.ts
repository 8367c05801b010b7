// HTTP routing (find-my-way) with one place that turns thrown errors into JSON error responses, and the
// request-body deadline: a body not received within `bodyTimeoutMs` is refused and the request dropped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeIssues } from '@tandem/shared';
import createRouter, { type HTTPMethod } from 'find-my-way';
import * as v from 'valibot';
import { AppError, toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { API_HEADERS } from './securityHeaders.ts';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  url: URL;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Router {
  on(method: HTTPMethod | HTTPMethod[], path: string, handler: Handler): void;
  /** Handles the request; resolves false when no route matched. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface RouterOptions {
  /** Time a request has to deliver its whole body once its headers are in. */
  bodyTimeoutMs: number;
  onError?: (error: AppError) => void;
}

export function createHttpRouter(log: Logger, options: RouterOptions): Router {
  const fmw = createRouter({ ignoreTrailingSlash: true, maxParamLength: 300 });
  return {
    on(method, path, handler) {
      fmw.on(method, path, (() => undefined) as never, { handler });
    },
    async handle(req, res) {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        sendError(res, new AppError('bad_request', 'the request target is not a valid URL'));
        return true;
      }
      const found = fmw.find(req.method as HTTPMethod, url.pathname);
      if (!found) return false;
      const handler = (found.store as { handler: Handler }).handler;
      armBodyDeadline(req, res, options.bodyTimeoutMs);
      try {
        await handler({ req, res, params: found.params, query: url.searchParams, url });
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code === 'internal') log.error({ err: error, path: url.pathname }, 'request failed');
        options.onError?.(appError);
        if (!res.headersSent) sendError(res, appError);
        else res.end();
      }
      return true;
    },
  };
}

/** A body still arriving after the deadline gets a JSON refusal and the connection is dropped. */
function armBodyDeadline(req: IncomingMessage, res: ServerResponse, timeoutMs: number): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    const seconds = timeoutMs / 1000;
    if (!res.headersSent) {
      res.setHeader('connection', 'close');
      sendError(res, new AppError('bad_request', `request body not received within ${seconds} s`));
    }
    req.destroy();
  }, timeoutMs);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
  res.once('close', () => clearTimeout(timer));
}

/** An AppError as a JSON response (with Retry-After when the error carries a retry time). */
export function sendError(res: ServerResponse, error: AppError): void {
  const retry = error.details?.retryAfterSec;
  if (typeof retry === 'number') res.setHeader('retry-after', String(retry));
  sendJson(res, error.httpStatus, error.toBody());
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...API_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Text and pages: headers the caller set (a page's CSP) win; the API defaults fill in the rest. */
export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  for (const [name, value] of Object.entries(API_HEADERS))
    if (!res.hasHeader(name)) res.setHeader(name, value);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON body up to `maxBytes`; throws AppError for oversize or malformed input. */
export async function readJson(req: IncomingMessage, maxBytes = 256 * 1024): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AppError('too_large', `request body exceeds ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of req) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) throw new AppError('too_large', `request body exceeds ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The client went away or the body deadline dropped the request.
    throw new AppError('bad_request', 'the request body was not completed');
  }
  if (total === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'request body is not valid JSON');
  }
}

/** Validates with a valibot schema and throws a bad_request AppError naming the first problem (`path: message`). */
export function parseWith<T>(schema: v.GenericSchema<unknown, T>, value: unknown): T {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  throw new AppError('bad_request', describeIssues(result.issues));
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}
