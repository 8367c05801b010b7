// Liveness (/healthz), readiness (/readyz, from registered checks, run together) and Prometheus metrics
// (/metrics).
import type { Metrics } from '../metrics.ts';
import { type Router, sendJson, sendText } from './router.ts';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

/** A readiness check; an asynchronous one (a database ping) must bound its own time. */
export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export function installHealthRoutes(
  router: Router,
  metrics: Metrics,
  checks: ReadonlyMap<string, ReadinessCheck>,
  isAccepting: () => boolean,
): void {
  router.on('GET', '/healthz', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  router.on('GET', '/readyz', async ({ res }) => {
    const results: Record<string, CheckResult> = { accepting: { ok: isAccepting() } };
    const settled = await Promise.all(
      [...checks].map(async ([name, check]) => [name, await safeCheck(check)] as const),
    );
    for (const [name, result] of settled) results[name] = result;
    // Optional subsystems (media) report but do not make the service unready.
    const ready = Object.entries(results).every(([name, r]) => r.ok || name.startsWith('optional:'));
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
  });
  router.on('GET', '/metrics', async ({ res }) => {
    sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
  });
}

async function safeCheck(check: ReadinessCheck): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}
