// HTTP routing (find-my-way) with one place that turns thrown errors into JSON error responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import createRouter, { type HTTPMethod } from 'find-my-way';
import { AppError, toAppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

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

export function createHttpRouter(log: Logger, onError?: (error: AppError) => void): Router {
  const fmw = createRouter({ ignoreTrailingSlash: true, maxParamLength: 300 });
  return {
    on(method, path, handler) {
      fmw.on(method, path, (() => undefined) as never, { handler });
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const found = fmw.find(req.method as HTTPMethod, url.pathname);
      if (!found) return false;
      const handler = (found.store as { handler: Handler }).handler;
      try {
        await handler({ req, res, params: found.params, query: url.searchParams, url });
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code === 'internal') log.error({ err: error, path: url.pathname }, 'request failed');
        onError?.(appError);
        if (!res.headersSent) sendJson(res, appError.httpStatus, appError.toBody());
        else res.end();
      }
      return true;
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON body up to `maxBytes`; throws AppError for oversize or malformed input. */
export async function readJson(req: IncomingMessage, maxBytes = 256 * 1024): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new AppError('too_large', `request body exceeds ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new AppError('too_large', `request body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (total === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'request body is not valid JSON');
  }
}

/** Validates with a zod-like schema and throws a bad_request AppError naming the first problem. */
export function parseWith<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new AppError('bad_request', `${where}${issue?.message ?? 'invalid input'}`);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match?.[1]?.trim();
}
