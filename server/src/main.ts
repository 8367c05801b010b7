// Process entry point: config from the environment, logger, app, signals. Exit code 2 for bad settings.
import { createTandem } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { printDemoLinks } from './demo.ts';
import { createLogger } from './logger.ts';
import { installProcessGuards } from './processGuards.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`tandem: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const log = createLogger(config.logLevel);
const tandem = await createTandem(config, log);
installProcessGuards({
  log,
  count: (kind) => tandem.ctx.metrics.processErrors.inc({ kind }),
  shutdown: () => tandem.close(),
  exit: (code) => process.exit(code),
  on: (event, listener) => process.on(event, listener),
});
const url = await tandem.listen();
// The one line scripts and people wait for; keep its shape stable.
process.stdout.write(`listening on ${url.origin}\n`);
if (config.demo) await printDemoLinks(tandem.ctx, config.publicUrl ?? url.origin);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: flushing documents');
    tandem.close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
