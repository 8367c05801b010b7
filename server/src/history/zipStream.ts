// Streams a zip of files to an HTTP response with fflate (compressed file by file, each chunk written as it
// is produced, waiting for the socket to drain), so the zip itself is never held in memory whole.
import type { ServerResponse } from 'node:http';
import { Zip, ZipDeflate } from 'fflate';
import { API_HEADERS } from '../http/securityHeaders.ts';
import type { ExportFile } from './workspaceFiles.ts';

/** Sends `files` as `filename` (a zip); resolves when the response has ended. */
export async function sendZip(res: ServerResponse, filename: string, files: readonly ExportFile[]) {
  res.writeHead(200, {
    ...API_HEADERS,
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
  });
  try {
    await writeZip(res, files);
  } catch (error) {
    // Headers are out: cut the connection so the client sees a failed download, not a short zip.
    res.destroy();
    throw error;
  }
}

async function writeZip(res: ServerResponse, files: readonly ExportFile[]): Promise<void> {
  const chunks: Uint8Array[] = [];
  let failed: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failed = error;
    else chunks.push(chunk);
  });
  const flush = async () => {
    for (const chunk of chunks.splice(0)) {
      if (!res.write(chunk)) await drained(res);
    }
  };
  for (const file of files) {
    const entry = new ZipDeflate(file.path, { level: 6 });
    entry.mtime = file.modifiedAt;
    zip.add(entry);
    entry.push(file.bytes, true);
    if (failed) throw failed;
    await flush();
    if (res.destroyed) return;
  }
  zip.end();
  if (failed) throw failed;
  await flush();
  res.end();
}

/** Resolves once the response may take more, or is gone (a client that went away never drains). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
