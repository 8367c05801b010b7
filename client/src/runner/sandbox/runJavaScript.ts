// JavaScript and TypeScript in the runner's worker. TypeScript is stripped of its types with sucrase (a small,
// fast transpiler that runs in the browser; no type checking). The program runs as a module from a blob: URL
// (so top-level await and import/export work, and it can import the document's other files: linkModules.ts);
// console output is captured, prompt() reads the next line of the stdin box, and the run ends once the module
// has finished and no timer it set is pending.
import type { RunStream } from '@tandem/shared';
import { transform } from 'sucrase';
import { linkModules } from './linkModules.ts';
import type { RunEnd } from './runPython.ts';
import type { WorkerRun } from './workerProtocol.ts';

type Out = (stream: RunStream, text: string) => void;

export async function runJavaScript(request: WorkerRun, out: Out): Promise<RunEnd> {
  let url: string;
  try {
    url = linkModules(request.files, request.entry, {
      compile: (file) =>
        /\.m?ts$/i.test(file.name)
          ? transform(file.text, {
              transforms: ['typescript'],
              filePath: file.name,
              disableESTransforms: true,
            }).code
          : file.text,
      makeUrl: (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' })),
    });
  } catch (error) {
    // A TypeScript syntax error, a missing file or a circular import: nothing has run.
    const message = error instanceof Error ? error.message : String(error);
    out('stderr', `${message}\n`);
    return { ok: false, detail: message.split('\n')[0] ?? null };
  }
  captureConsole(out);
  provideStdin(request.stdin);
  const timers = trackTimers();
  return new Promise<RunEnd>((resolve) => {
    let finished = false;
    const finish = (end: RunEnd) => {
      if (finished) return;
      finished = true;
      resolve(end);
    };
    const fail = (error: unknown) => {
      out('stderr', `${formatError(error)}\n`);
      finish({ ok: false, detail: firstLine(error) });
    };
    self.addEventListener('error', (event) => {
      event.preventDefault();
      fail(event.error ?? event.message);
    });
    self.addEventListener('unhandledrejection', (event) => {
      event.preventDefault();
      fail(event.reason);
    });
    import(/* @vite-ignore */ url).then(
      () => timers.whenIdle(() => finish({ ok: true, detail: null })),
      (error: unknown) => fail(error),
    );
  });
}

function firstLine(error: unknown): string | null {
  return formatError(error).split('\n')[0] ?? null;
}

function formatError(error: unknown): string {
  if (error instanceof Error) return error.stack?.includes(error.message) ? error.stack : `${error}`;
  return `Uncaught ${formatValue(error)}`;
}

/** console.log & co. write to the output (warn and error to stderr), formatted roughly as a console would. */
function captureConsole(out: Out): void {
  const write =
    (stream: RunStream) =>
    (...args: unknown[]) =>
      out(stream, `${args.map((a) => (typeof a === 'string' ? a : formatValue(a))).join(' ')}\n`);
  const console = self.console as unknown as Record<string, unknown>;
  for (const name of ['log', 'info', 'debug', 'trace']) console[name] = write('stdout');
  for (const name of ['error', 'warn']) console[name] = write('stderr');
}

export function formatValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === 'function') return `[Function ${value.name || '(anonymous)'}]`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || value === undefined || value === null) return String(value);
  if (typeof value !== 'object') return String(value);
  if (value instanceof Error) return value.stack ?? String(value);
  if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (Array.isArray(value)) return `[ ${value.map((v) => formatValue(v, depth + 1)).join(', ')} ]`;
  if (value instanceof Map)
    return `Map(${value.size}) { ${[...value].map(([k, v]) => `${formatValue(k, depth + 1)} => ${formatValue(v, depth + 1)}`).join(', ')} }`;
  if (value instanceof Set)
    return `Set(${value.size}) { ${[...value].map((v) => formatValue(v, depth + 1)).join(', ')} }`;
  const entries = Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v, depth + 1)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** prompt() returns the next line of the stdin box, or null at its end (as a cancelled prompt does). */
function provideStdin(stdin: string): void {
  const lines = stdin === '' ? [] : stdin.replace(/\n$/, '').split('\n');
  Object.assign(self, { prompt: () => (lines.length > 0 ? lines.shift() : null) });
}

/** Wraps the timer functions so the run knows when nothing the program scheduled is left to run. */
function trackTimers(): { whenIdle(done: () => void): void } {
  const pending = new Set<unknown>();
  const real = {
    setTimeout: self.setTimeout.bind(self),
    clearTimeout: self.clearTimeout.bind(self),
    setInterval: self.setInterval.bind(self),
    clearInterval: self.clearInterval.bind(self),
  };
  let onIdle: (() => void) | null = null;
  const check = () => {
    // A macrotask later: promise callbacks the last timer queued still get to print.
    if (onIdle && pending.size === 0)
      real.setTimeout(() => {
        if (onIdle && pending.size === 0) onIdle();
      }, 0);
  };
  const scope = self as unknown as Record<string, unknown>;
  scope.setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = real.setTimeout(() => {
      pending.delete(id);
      try {
        if (typeof fn === 'function') fn(...args);
      } finally {
        check();
      }
    }, ms);
    pending.add(id);
    return id;
  };
  scope.setInterval = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const id = real.setInterval(() => typeof fn === 'function' && fn(...args), ms);
    pending.add(id);
    return id;
  };
  scope.clearTimeout = (id: number) => {
    pending.delete(id);
    real.clearTimeout(id);
    check();
  };
  scope.clearInterval = (id: number) => {
    pending.delete(id);
    real.clearInterval(id);
    check();
  };
  return {
    whenIdle(done) {
      onIdle = done;
      check();
    },
  };
}
