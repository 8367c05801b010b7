// Routes mediasoup's own logs (Node side and the worker's, which arrive over its channel) into pino.
import * as mediasoup from 'mediasoup';
import type { Logger } from '../logger.ts';

/** mediasoup keeps one global set of listeners: the last server to call this receives its logs. */
export function routeMediasoupLogs(log: Logger): void {
  const msLog = log.child({ mod: 'mediasoup' });
  mediasoup.setLogEventListeners({
    // Debug output is costly to format: only ask for it when it would be written.
    ondebug: msLog.isLevelEnabled('debug')
      ? (namespace, text) => msLog.debug({ ns: namespace }, text)
      : undefined,
    onwarn: (namespace, text) => msLog.warn({ ns: namespace }, text),
    onerror: (namespace, text, error) => msLog.error({ ns: namespace, err: error }, text),
  });
}
