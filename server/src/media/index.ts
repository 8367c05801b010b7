// Installs class media into the app: the public status route, and either the running SFU (startMedia.ts) or, when
// media is off or the mediasoup worker cannot start, an unavailable service. Documents keep working, and
// /readyz and /api/media/status say why.
import type { MediaStatus, MediaUnavailableKind } from '@tandem/shared';
import type { AppContext } from '../app.ts';
import type { Logger } from '../logger.ts';
import type { RoomAdmission } from './joinClass.ts';
import { MediaService } from './MediaService.ts';
import { installUnavailableMediaSocket } from './mediaSocket.ts';
import { installMediaStatusRoute, unavailableStatus } from './statusRoute.ts';

export type { RoomAdmission } from './joinClass.ts';
export type { MediaPeerEvent, MediaServiceEvents, UserAction, UserMedia } from './MediaService.ts';
export { MediaService };

export const READINESS_KEY = 'optional:media';

const services = new WeakMap<AppContext, MediaService>();

export interface StartedMedia {
  service: MediaService;
  status(): MediaStatus;
}

/** The MediaService installed into this app (an unavailable one if media is off). */
export function mediaServiceOf(ctx: AppContext): MediaService | undefined {
  return services.get(ctx);
}

export interface MediaInstallDeps {
  /** Who may join which room of their class (the classroom's rules: removals, pairs, breakout groups). */
  admission?: RoomAdmission;
}

export async function installMedia(ctx: AppContext, deps: MediaInstallDeps = {}): Promise<MediaService> {
  const log = ctx.log.child({ mod: 'media' });
  const { service, status } = await startMedia(ctx, log, deps);
  services.set(ctx, service);
  installMediaStatusRoute(ctx.router, status);
  return service;
}

async function startMedia(ctx: AppContext, log: Logger, deps: MediaInstallDeps): Promise<StartedMedia> {
  if (!ctx.config.media.enabled) return unavailable(ctx, 'disabled by MEDIA_ENABLED=false', 'disabled');
  // mediasoup and the running SFU are loaded only when media is on: a collaboration-only node does not hold
  // them (about 4.5 MiB of heap; docs/benchmarks.md, idle memory).
  const { startRunningMedia } = await import('./startMedia.ts');
  return startRunningMedia(ctx, log, deps, unavailable);
}

/** `reason` is for operators (log, /readyz, the 4503 close); `kind` picks what participants are told. */
function unavailable(ctx: AppContext, reason: string, kind: MediaUnavailableKind): StartedMedia {
  ctx.readiness.set(READINESS_KEY, () => ({ ok: false, detail: `media unavailable: ${reason}` }));
  installUnavailableMediaSocket(ctx.upgrades, ctx.guard, reason);
  return { service: MediaService.unavailable(reason), status: () => unavailableStatus(kind) };
}
