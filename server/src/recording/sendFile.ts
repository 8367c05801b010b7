// Sends a recording file with HTTP range requests (a `<video>` seeks by asking for byte ranges): 200 with the
// whole file, 206 with one range, 416 for a range outside the file. Multi-range requests get the whole file.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors.ts';

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a `Range` header against a file of `size` bytes; null means "send it all". Pure. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  contentType: string,
  downloadName: string,
): Promise<void> {
  const stat = await fs.promises.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new AppError('not_found', 'this recording file is gone');
  const range = parseRange(req.headers.range, stat.size);
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
    'content-disposition': `inline; filename="${downloadName.replace(/[^\w.-]/g, '_')}"`,
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stat.size}`, 'content-length': 0 });
    return void res.end();
  }
  const { start, end } = range ?? { start: 0, end: stat.size - 1 };
  if (range) headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
  res.writeHead(range ? 206 : 200, { ...headers, 'content-length': stat.size === 0 ? 0 : end - start + 1 });
  if (req.method === 'HEAD' || stat.size === 0) return void res.end();
  await new Promise<void>((resolve) => {
    const stream = fs.createReadStream(file, { start, end });
    stream.once('error', () => {
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}
