// REST for a platform operator to see webhook deliveries and send a failed one again (API key only):
//   GET  /api/webhooks/deliveries[?state=pending|delivered|failed&limit=1..100]   newest first
//   POST /api/webhooks/deliveries/<id>/retry                                       a failed delivery, anew
import { webhookDeliveriesQuerySchema } from '@tandem/shared';
import { requirePlatform } from '../classroom/principal.ts';
import type { Api } from '../classroom/routeKit.ts';
import { AppError } from '../errors.ts';
import { toDeliveryInfo } from '../storage/types/webhookRows.ts';
import type { WebhookStorage } from '../storage/types/webhooks.ts';

const DEFAULT_LIST_LIMIT = 50;

export interface WebhookRouteDeps {
  store: WebhookStorage;
  /** Sends a delivery made pending again now; undefined when webhooks are off (WEBHOOK_URL unset). */
  kick: (() => void) | undefined;
  now?: () => number;
}

export function installWebhookRoutes(api: Api, { store, kick, now = Date.now }: WebhookRouteDeps): void {
  api.on('GET', '/api/webhooks/deliveries', async (call) => {
    requirePlatform(call.principal, 'reading webhook deliveries');
    const { state, limit = DEFAULT_LIST_LIMIT } = call.query(webhookDeliveriesQuerySchema);
    const deliveries = await store.list({ state, limit });
    call.reply(200, { deliveries: deliveries.map(toDeliveryInfo) });
  });

  api.on('POST', '/api/webhooks/deliveries/:deliveryId/retry', async (call) => {
    requirePlatform(call.principal, 'retrying a webhook delivery');
    const id = call.param('deliveryId');
    const found = await store.get(id);
    if (!found) throw new AppError('not_found', `no webhook delivery ${id}`);
    if (!kick) {
      throw new AppError(
        'conflict',
        'webhooks are off (set WEBHOOK_URL and WEBHOOK_SECRET); nothing would send it',
      );
    }
    const retried = await store.retry(id, now());
    if (!retried) {
      throw new AppError('conflict', `only a failed delivery can be retried; this one is ${found.state}`);
    }
    kick();
    call.reply(200, { delivery: toDeliveryInfo(retried) });
  });
}
