// The class's recording through the real REST API, as staff would drive it from the class page: open a session,
// start and stop its recording, list what was recorded. Used by the recording scenario of bench:media.
import type { RecordingManifest } from '@tandem/shared';

export interface ClassRecordingApi {
  start(): Promise<RecordingManifest>;
  stop(): Promise<RecordingManifest>;
  list(): Promise<RecordingManifest[]>;
}

export async function openSession(
  httpUrl: string,
  classId: string,
  staffToken: string,
): Promise<ClassRecordingApi> {
  const headers = { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' };
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${httpUrl}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const { session } = await call<{ session: { id: string } }>('POST', `/api/classes/${classId}/sessions`, {
    startNow: true,
  });
  const action = async (name: 'start' | 'stop') =>
    (
      await call<{ recording: RecordingManifest }>('POST', `/api/sessions/${session.id}/recording`, {
        action: name,
      })
    ).recording;
  return {
    start: () => action('start'),
    stop: () => action('stop'),
    list: async () =>
      (await call<{ recordings: RecordingManifest[] }>('GET', `/api/sessions/${session.id}/recordings`))
        .recordings,
  };
}
