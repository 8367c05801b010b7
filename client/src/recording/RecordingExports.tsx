// Staff's list of the live session's finished recordings, each with "Export MP4": the export runs on the
// server in the background; its progress bar fills as it goes (polled), it can be cancelled, and once done
// it is a download link (a signed URL the API handed out minutes ago, fetched again before it expires).
import type { RecordingExport, RecordingManifest, RecordingView } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import type { ClassroomApi } from '../classroom/api.ts';

const POLL_MS = 1000;
/** Download links are fetched again this long before they expire (urlsExpireAt). */
const RENEW_BEFORE_MS = 30_000;

export function RecordingExports({ api, sessionId }: { api: ClassroomApi; sessionId: string }) {
  const [recordings, setRecordings] = useState<RecordingView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const { recordings: list } = await api.request<{ recordings: RecordingManifest[] }>(
      'GET',
      `/api/sessions/${encodeURIComponent(sessionId)}/recordings`,
    );
    const finished = list.filter((r) => r.state === 'stopped' || r.state === 'failed');
    const views = await Promise.all(
      finished.map((r) =>
        api.request<{ recording: RecordingView }>('GET', `/api/recordings/${encodeURIComponent(r.id)}`),
      ),
    );
    setRecordings(views.map((v) => v.recording));
  }, [api, sessionId]);

  const busy = recordings.some((r) => r.exports.some((e) => e.state === 'queued' || e.state === 'running'));
  useEffect(() => {
    void load().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    if (!busy) return;
    const timer = setInterval(() => void load().catch(() => {}), POLL_MS);
    return () => clearInterval(timer);
  }, [load, busy]);

  // A page left open keeps working download links: the manifests are read again before the links expire.
  const expiresAt = Math.min(
    ...recordings.filter((r) => r.exports.some((e) => e.url)).map((r) => r.urlsExpireAt),
  );
  useEffect(() => {
    if (!Number.isFinite(expiresAt)) return;
    const timer = setTimeout(
      () => void load().catch(() => {}),
      Math.max(0, expiresAt - Date.now() - RENEW_BEFORE_MS),
    );
    return () => clearTimeout(timer);
  }, [load, expiresAt]);

  const act = (request: Promise<unknown>) => {
    setError(null);
    request.then(load).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  if (recordings.length === 0) return null;
  return (
    <ul className="recording-list" data-testid="recordings">
      {recordings.map((r) => (
        <li key={r.id} data-recording={r.id}>
          <span>
            {r.startedAt
              ? new Date(r.startedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
              : ''}
            {' · '}
            {Math.round(((r.stoppedAt ?? 0) - (r.startedAt ?? 0)) / 1000)} s
            {r.state === 'failed' ? ' (stopped by a fault)' : ''}
          </span>
          {r.exports.map((e) => (
            <ExportRow key={e.id} exported={e} onCancel={() => act(cancel(api, r.id, e.id))} />
          ))}
          {!r.exports.some((e) => e.state === 'queued' || e.state === 'running' || e.state === 'done') && (
            <button
              type="button"
              className="button"
              onClick={() => act(api.request('POST', `/api/recordings/${encodeURIComponent(r.id)}/exports`))}
              data-testid="export-recording"
            >
              Export MP4
            </button>
          )}
        </li>
      ))}
      {error && (
        <li className="media-error" role="alert">
          {error}
        </li>
      )}
    </ul>
  );
}

function cancel(api: ClassroomApi, recordingId: string, exportId: string) {
  return api.request(
    'DELETE',
    `/api/recordings/${encodeURIComponent(recordingId)}/exports/${encodeURIComponent(exportId)}`,
  );
}

function ExportRow({
  exported,
  onCancel,
}: {
  exported: RecordingExport & { url: string | null };
  onCancel(): void;
}) {
  if (exported.state === 'queued' || exported.state === 'running') {
    const percent = Math.round(exported.progress * 100);
    return (
      <span className="export-progress">
        <progress max={100} value={percent} aria-label="Export progress" data-testid="export-progress" />
        <span>{exported.state === 'queued' ? 'Waiting…' : `${percent}%`}</span>
        <button type="button" className="small-button" onClick={onCancel}>
          Cancel
        </button>
      </span>
    );
  }
  if (exported.state === 'done' && exported.url) {
    return (
      <a className="button" href={exported.url} download data-testid="export-download">
        Download MP4
      </a>
    );
  }
  return (
    <span className="status-pill">
      {exported.state === 'failed' ? `Export failed: ${exported.error}` : 'Export cancelled'}
    </span>
  );
}
