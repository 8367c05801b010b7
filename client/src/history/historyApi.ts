// The REST calls of the History panel: a document's versions (list, save with a label, read, restore) and
// "who wrote this" per line of a file. Each carries the page's class token; errors become ApiError.
import type { BlameReply } from '@tandem/shared';
import { ApiError } from '../classroom/api.ts';

export interface VersionSummary {
  id: number;
  label: string;
  authorId: string | null;
  authorName: string | null;
  createdAt: number;
  seq: number;
}

interface VersionRead {
  version: VersionSummary;
  content: { files?: Record<string, { name?: unknown; text?: unknown }> };
}

/** One version's files: id to name and text. */
export type VersionFiles = Map<string, { name: string; text: string }>;

export class HistoryApi {
  constructor(
    private readonly token: () => string | null,
    /** `<classId>/<kind>/<key>` */
    readonly docName: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`/api/documents/${this.docName}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token() ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'internal',
        error?.message ?? `failed (${response.status})`,
      );
    }
    return json as T;
  }

  async versions(): Promise<VersionSummary[]> {
    return (await this.call<{ versions: VersionSummary[] }>('GET', '/versions')).versions;
  }

  async save(label: string): Promise<VersionSummary> {
    return (await this.call<{ version: VersionSummary }>('POST', '/versions', { label })).version;
  }

  async files(id: number): Promise<VersionFiles> {
    const read = await this.call<VersionRead>('GET', `/versions/${id}`);
    const files: VersionFiles = new Map();
    for (const [fileId, entry] of Object.entries(read.content.files ?? {})) {
      if (typeof entry?.name === 'string' && typeof entry.text === 'string') {
        files.set(fileId, { name: entry.name, text: entry.text });
      }
    }
    return files;
  }

  async restore(id: number): Promise<void> {
    await this.call('POST', `/versions/${id}/restore`);
  }

  blame(fileId: string): Promise<BlameReply> {
    return this.call<BlameReply>('GET', `/blame?file=${encodeURIComponent(fileId)}`);
  }
}
