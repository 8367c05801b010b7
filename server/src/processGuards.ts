// What happens to an exception no connection guard caught. An unhandled rejection is one abandoned async
// operation: logged, counted, and the server carries on. An uncaught exception was thrown where no handler
// knew what state it left (a timer, a library's internals), so the process is not trusted to go on: it is
// logged and counted, documents are flushed (acknowledged edits are already durable in the update journal),
// and the process exits 1 for its supervisor (Docker, systemd) to start a clean one.
import type { Logger } from './logger.ts';

/** A flush that hangs must not keep a broken process alive. */
const FATAL_EXIT_AFTER_MS = 10_000;

export interface ProcessGuardDeps {
  log: Logger;
  count(kind: 'uncaught_exception' | 'unhandled_rejection'): void;
  /** Graceful shutdown (stop accepting, flush documents, close the database). */
  shutdown(): Promise<void>;
  exit(code: number): void;
  on: (event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void) => void;
}

export function installProcessGuards(deps: ProcessGuardDeps): void {
  let dying = false;
  deps.on('unhandledRejection', (reason) => {
    deps.count('unhandled_rejection');
    deps.log.error({ err: reason }, 'unhandled promise rejection; the operation was abandoned, serving on');
  });
  deps.on('uncaughtException', (error) => {
    deps.count('uncaught_exception');
    if (dying) return void deps.log.fatal({ err: error }, 'uncaught exception while shutting down');
    dying = true;
    deps.log.fatal({ err: error }, 'uncaught exception; flushing documents and exiting for a clean restart');
    const timer = setTimeout(() => deps.exit(1), FATAL_EXIT_AFTER_MS);
    timer.unref();
    deps.shutdown().then(
      () => deps.exit(1),
      () => deps.exit(1),
    );
  });
}
