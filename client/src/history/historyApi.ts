// The REST calls of the History panel: a document's versions (list, save with a label, read, restore), "who
// wrote this" per line of a file, and for staff a workspace's activity and workspace downloads (zip). Each
// carries the page's class token; errors become ApiError.
import type { ActivityReply, BlameReply, WorkspaceSummary } from '@tandem/shared';
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

type Method = 'GET' | 'POST';

export class HistoryApi {
  constructor(
    private readonly token: () => string | null,
    /** `<classId>/<kind>/<key>` */
    readonly docName: string,
  ) {}

  /** The class of the document. */
  get classId(): string {
    return this.docName.split('/')[0] ?? '';
  }

  async versions(): Promise<VersionSummary[]> {
    return (await this.doc<{ versions: VersionSummary[] }>('GET', '/versions')).versions;
  }

  async save(label: string): Promise<VersionSummary> {
    return (await this.doc<{ version: VersionSummary }>('POST', '/versions', { label })).version;
  }

  async files(id: number): Promise<VersionFiles> {
    const read = await this.doc<VersionRead>('GET', `/versions/${id}`);
    const files: VersionFiles = new Map();
    for (const [fileId, entry] of Object.entries(read.content.files ?? {})) {
      if (typeof entry?.name === 'string' && typeof entry.text === 'string') {
        files.set(fileId, { name: entry.name, text: entry.text });
      }
    }
    return files;
  }

  async restore(id: number): Promise<void> {
    await this.doc('POST', `/versions/${id}/restore`);
  }

  blame(fileId: string): Promise<BlameReply> {
    return this.doc<BlameReply>('GET', `/blame?file=${encodeURIComponent(fileId)}`);
  }

  /** The students whose workspaces the class knows of: roster, present, or that received a hand-out (staff). */
  async workspaceStudents(): Promise<WorkspaceSummary[]> {
    return (await this.json<{ workspaces: WorkspaceSummary[] }>('GET', this.workspaces())).workspaces;
  }

  /** A student's workspace activity (staff). */
  activity(userId: string): Promise<ActivityReply> {
    return this.json<ActivityReply>('GET', `${this.workspaces()}/${encodeURIComponent(userId)}/activity`);
  }

  /** Downloads one workspace (a user id) or every workspace of the class (null) as a zip file. */
  async downloadWorkspaces(userId: string | null): Promise<void> {
    const url =
      userId === null
        ? `${this.workspaces()}/export`
        : `${this.workspaces()}/${encodeURIComponent(userId)}/export`;
    const response = await this.send('GET', url);
    if (!response.ok) throw toApiError(response, await response.json().catch(() => null));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = userId === null ? `${this.classId}-workspaces.zip` : `${this.classId}-${userId}.zip`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  }

  private workspaces(): string {
    return `/api/classes/${encodeURIComponent(this.classId)}/workspaces`;
  }

  private doc<T>(method: Method, path: string, body?: unknown): Promise<T> {
    return this.json<T>(method, `/api/documents/${this.docName}${path}`, body);
  }

  private async json<T>(method: Method, url: string, body?: unknown): Promise<T> {
    const response = await this.send(method, url, body);
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) throw toApiError(response, json);
    return json as T;
  }

  private send(method: Method, url: string, body?: unknown): Promise<Response> {
    return fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.token() ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

function toApiError(response: Response, json: unknown): ApiError {
  const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
  return new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `request failed (${response.status})`,
  );
}
