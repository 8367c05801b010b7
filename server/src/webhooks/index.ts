// Installs webhooks to course platforms: the delivery routes always; with WEBHOOK_URL set, the dispatcher over
// the storage's outbox, fed by the classroom's events and stopped on shutdown. With WEBHOOK_URL unset nothing
// is subscribed, queued or sent.
import type { AppContext } from '../app.ts';
import type { Classroom } from '../classroom/Classroom.ts';
import { createApi } from '../classroom/routeKit.ts';
import { WebhookDispatcher } from './WebhookDispatcher.ts';
import { subscribeWebhookEvents } from './webhookEvents.ts';
import { installWebhookRoutes } from './webhookRoutes.ts';

/** Before the storage closes (and after the classroom's recorder, which emits nothing on the way out). */
const SHUTDOWN_ORDER = 30;

export function installWebhooks(
  ctx: AppContext,
  room: Pick<Classroom, 'auth' | 'events'>,
): WebhookDispatcher | undefined {
  const { config, storage, metrics } = ctx;
  const { urls, secret, timeoutMs, maxAttempts, retryBaseMs } = config.webhooks;
  const dispatcher =
    urls.length > 0 && secret
      ? new WebhookDispatcher({
          store: storage.webhooks,
          urls,
          secret,
          timeoutMs,
          maxAttempts,
          retryBaseMs,
          log: ctx.log.child({ mod: 'webhooks' }),
          onOutcome: (outcome) => metrics.webhookDeliveries.inc({ outcome }),
        })
      : undefined;
  installWebhookRoutes(createApi(ctx.router, room.auth, ctx.removals), {
    store: storage.webhooks,
    kick: dispatcher && (() => dispatcher.kick()),
  });
  if (!dispatcher) return undefined;
  const unsubscribe = subscribeWebhookEvents(room.events, (event) => dispatcher.enqueue(event));
  dispatcher.start();
  ctx.onShutdown(async () => {
    unsubscribe();
    await dispatcher.stop();
  }, SHUTDOWN_ORDER);
  return dispatcher;
}
