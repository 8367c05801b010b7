// Liveness (/healthz), readiness (/readyz, from registered checks) and Prometheus metrics (/metrics).
import type { Metrics } from '../metrics.ts';
import { type Router, sendJson, sendText } from './router.ts';

export type ReadinessCheck = () => { ok: boolean; detail?: string };

export function installHealthRoutes(
  router: Router,
  metrics: Metrics,
  checks: ReadonlyMap<string, ReadinessCheck>,
  isAccepting: () => boolean,
): void {
  router.on('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  router.on('GET', '/readyz', ({ res }) => {
    const results: Record<string, { ok: boolean; detail?: string }> = {
      accepting: { ok: isAccepting() },
    };
    for (const [name, check] of checks) results[name] = safeCheck(check);
    // Optional subsystems (media) report but do not make the service unready.
    const ready = Object.entries(results).every(([name, r]) => r.ok || name.startsWith('optional:'));
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.on('GET', '/metrics', async ({ res }) => {
    sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
  });
}

function safeCheck(check: ReadinessCheck): { ok: boolean; detail?: string } {
  try {
    return check();
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
