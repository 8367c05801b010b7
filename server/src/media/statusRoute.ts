// `GET /api/media/status`: whether class media can be joined right now, for the client's pre-join screen.
// Public (no token), so the reason is for participants: never paths, ports or operator hints (those go to
// the log and /readyz).
import { MEDIA_STATUS_PATH, type MediaStatus, type MediaUnavailableKind } from '@tandem/shared';
import { type Router, sendJson } from '../http/router.ts';

export const UNAVAILABLE_REASONS: Record<MediaUnavailableKind, string> = {
  disabled: 'this server has video calls turned off',
  failed: 'the media server did not start (the server log says why)',
  restarting: 'the media server is restarting; try again in a moment',
  stopped: 'the media server has stopped',
};
export function unavailableStatus(kind: MediaUnavailableKind): MediaStatus {
  return { available: false, reason: UNAVAILABLE_REASONS[kind], kind };
}

export function installMediaStatusRoute(router: Router, status: () => MediaStatus): void {
  router.on('GET', MEDIA_STATUS_PATH, ({ res }) => sendJson(res, 200, status()));
}
