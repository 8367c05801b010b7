// The sandboxed runner page (/runner.html): framed by the class page with `sandbox="allow-scripts"` (an opaque
// origin: no cookies, storage, IndexedDB or parent DOM of Tandem's), it takes run requests from its parent
// over postMessage and runs each in a fresh worker (a few at once, one per run id). A Python worker is kept
// loaded ahead of time, so a run rarely waits for Pyodide.
import type { RunLanguage } from '@tandem/shared';
import type { HostMessage, RunnerLimits, RunnerMessage } from '../frameProtocol.ts';
import { RunSession } from './RunSession.ts';
import RunWorker from './runWorker.ts?worker&inline';
import type { ToWorker } from './workerProtocol.ts';

interface Settings {
  timeLimitMs: number;
  maxOutputBytes: number;
  pyodidePath: string | null;
}

function readSettings(): Settings {
  const content = document.querySelector('meta[name="tandem-runner"]')?.getAttribute('content');
  const parsed = content ? (JSON.parse(content) as Partial<Settings>) : {};
  return {
    timeLimitMs: typeof parsed.timeLimitMs === 'number' ? parsed.timeLimitMs : 10_000,
    maxOutputBytes: typeof parsed.maxOutputBytes === 'number' ? parsed.maxOutputBytes : 1024 * 1024,
    pyodidePath: typeof parsed.pyodidePath === 'string' ? parsed.pyodidePath : null,
  };
}

const settings = readSettings();
// The page's own origin is opaque ("null"), but its URL still names the server, which is the parent's origin.
const parentOrigin = new URL(location.href).origin;
const pyodideUrl = settings.pyodidePath ? new URL(settings.pyodidePath, location.href).href : null;
const limits: RunnerLimits = {
  timeLimitMs: settings.timeLimitMs,
  maxOutputBytes: settings.maxOutputBytes,
  python: pyodideUrl !== null,
};

const emit = (message: RunnerMessage) => window.parent.postMessage(message, parentOrigin);

function startWorker(language: RunLanguage): Worker {
  const worker = new RunWorker();
  worker.postMessage({ type: 'init', language, pyodideUrl } satisfies ToWorker);
  return worker;
}

/** At most this many runs at once (several editors on one page, e.g. staff running workspaces side by side). */
const MAX_RUNS = 4;

let spare: Worker | null = null;
const running = new Map<string, RunSession>();

function warmPython(): void {
  if (limits.python && !spare) spare = startWorker('python');
}

function handle(message: HostMessage): void {
  if (message.type === 'stop') {
    running.get(message.runId)?.stop();
    return;
  }
  if (message.type !== 'run' || running.has(message.runId)) return;
  // Beyond the cap, the oldest run gives way.
  if (running.size >= MAX_RUNS) running.values().next().value?.stop();
  let worker: Worker;
  if (message.language === 'python' && spare) {
    worker = spare;
    spare = null;
  } else worker = startWorker(message.language);
  const session = new RunSession(message, worker, limits, emit, () => {
    running.delete(message.runId);
    // The next Python run gets a fresh interpreter, loaded while nobody waits for it.
    warmPython();
  });
  running.set(message.runId, session);
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window.parent || event.origin !== parentOrigin) return;
  const data = event.data as HostMessage | null;
  if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
  handle(data);
});

emit({ type: 'ready', limits });
warmPython();
