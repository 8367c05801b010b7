// The recording REST calls the class page makes, over the page's classroom API client (its bearer token).
import type { RecordingAction, RecordingManifest } from '@tandem/shared';
import type { ClassroomApi } from '../classroom/api.ts';

export function setRecording(api: ClassroomApi, sessionId: string, action: RecordingAction) {
  return api.request<{ recording: RecordingManifest }>(
    'POST',
    `/api/sessions/${encodeURIComponent(sessionId)}/recording`,
    { action },
  );
}
