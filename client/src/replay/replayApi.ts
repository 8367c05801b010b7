// The REST calls of the replay page (shared/src/timeline.ts): what the page needs to open, the session's
// timeline (every page of it), the activity strip, documents at a time and their logged updates, and "who
// wrote this" as of a time. Each carries the page's token; errors become ApiError.
import type {
  ActivityStripReply,
  BlameReply,
  DocumentAtReply,
  DocumentUpdatesReply,
  RecordingView,
  ReplayInfo,
  TimelineEvent,
  TimelineKind,
  TimelineReply,
} from '@tandem/shared';
import { requestJson } from '../classroom/api.ts';
import type { DocSource } from './DocPlayer.ts';

/** A class of two hours has a few thousand events; more than this many pages means something is wrong. */
const MAX_TIMELINE_PAGES = 50;
const TIMELINE_PAGE = 1000;

export function bytesOfBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export class ReplayApi {
  constructor(private readonly token: () => string | null) {}

  info(sessionId: string): Promise<ReplayInfo> {
    return this.get<ReplayInfo>(`${session(sessionId)}/replay`);
  }

  /** Every event of the session of these kinds, in order. */
  async timeline(sessionId: string, kinds: readonly TimelineKind[]): Promise<TimelineEvent[]> {
    const events: TimelineEvent[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_TIMELINE_PAGES; page++) {
      const query = new URLSearchParams({ limit: String(TIMELINE_PAGE), kinds: kinds.join(',') });
      if (cursor) query.set('cursor', cursor);
      const reply: TimelineReply = await this.get<TimelineReply>(`${session(sessionId)}/timeline?${query}`);
      events.push(...reply.events);
      cursor = reply.next;
      if (!cursor) break;
    }
    return events;
  }

  activity(sessionId: string, buckets: number): Promise<ActivityStripReply> {
    return this.get<ActivityStripReply>(`${session(sessionId)}/timeline/activity?buckets=${buckets}`);
  }

  /** The document's state at `t` as a Yjs update (without the JSON view: the page applies the update). */
  at(document: string, t: number): Promise<DocumentAtReply> {
    return this.get<DocumentAtReply>(`${docPath(document)}/at?t=${Math.round(t)}&content=false`);
  }

  updates(document: string, after: number, until: number): Promise<DocumentUpdatesReply> {
    return this.get<DocumentUpdatesReply>(
      `${docPath(document)}/updates?after=${after}&until=${Math.round(until)}&limit=1000`,
    );
  }

  blame(document: string, fileId: string, t: number): Promise<BlameReply> {
    return this.get<BlameReply>(
      `${docPath(document)}/blame?file=${encodeURIComponent(fileId)}&t=${Math.round(t)}`,
    );
  }

  /** A recording with its exports (staff). */
  async recording(recordingId: string): Promise<RecordingView> {
    return (
      await this.get<{ recording: RecordingView }>(`/api/recordings/${encodeURIComponent(recordingId)}`)
    ).recording;
  }

  /** Makes an MP4 export of a recording (staff). */
  exportRecording(recordingId: string): Promise<unknown> {
    return this.send('POST', `/api/recordings/${encodeURIComponent(recordingId)}/exports`);
  }

  /** Cancels a queued or running export (staff). */
  cancelExport(recordingId: string, exportId: string): Promise<unknown> {
    return this.send(
      'DELETE',
      `/api/recordings/${encodeURIComponent(recordingId)}/exports/${encodeURIComponent(exportId)}`,
    );
  }

  /** A document as a DocPlayer reads it. */
  source(document: string): DocSource {
    return {
      at: async (t) => {
        const reply = await this.at(document, t);
        return { seq: reply.seq, update: bytesOfBase64(reply.update) };
      },
      updates: async (after, until) => {
        const reply = await this.updates(document, after, until);
        return {
          more: reply.more,
          updates: reply.updates.map((u) => ({ ...u, update: bytesOfBase64(u.update) })),
        };
      },
    };
  }

  private get<T>(url: string): Promise<T> {
    return this.send<T>('GET', url);
  }

  private send<T>(method: 'GET' | 'POST' | 'DELETE', url: string): Promise<T> {
    return requestJson<T>(this.token(), method, url);
  }
}

const session = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
/** Document names are `<classId>/<kind>/<key>`, each part an id: safe in a path as they are. */
const docPath = (name: string) => `/api/documents/${name}`;
