// The class page's side of the sandboxed runner: one hidden `<iframe sandbox="allow-scripts">` (no
// allow-same-origin, so the runner's origin is opaque) loading /runner.html, created on the first run. Run
// requests go in over postMessage; the runner's messages come back checked (frameMessages.ts) and are handed
// to the run they belong to. A runner that does not load, or does not end a run well after its limits would
// have, is thrown away (its runs end as `crashed`) and made again on the next run.

import { MAX_RUN_CHUNK_CHARS, type RunLanguage } from '@tandem/shared';
import { parseRunnerMessage } from './frameMessages.ts';
import type { HostMessage, RunFile, RunnerLimits, RunnerMessage } from './frameProtocol.ts';

export const RUNNER_PATH = '/runner.html';
/** How long the runner page may take to load and say it is ready. */
const READY_TIMEOUT_MS = 20_000;
/** Beyond the time limit: the runner's own allowance for loading Pyodide (60 s), and a margin. */
const WATCHDOG_EXTRA_MS = 75_000;

export interface RunRequest {
  runId: string;
  language: RunLanguage;
  files: RunFile[];
  entry: string;
  stdin: string;
}

type RunListener = (message: Exclude<RunnerMessage, { type: 'ready' }>) => void;

export class RunnerFrame {
  private frame: HTMLIFrameElement | null = null;
  private ready: Promise<RunnerLimits> | null = null;
  private readonly listeners = new Map<string, RunListener>();
  private readonly onMessage = (event: MessageEvent) => this.handle(event);

  /** Starts loading the runner now (e.g. when a runnable file is opened), so the first run is quicker. */
  prepare(): Promise<RunnerLimits> {
    if (this.ready) return this.ready;
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('title', 'Code runner');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    frame.dataset.testid = 'runner-frame';
    frame.className = 'runner-frame';
    frame.src = RUNNER_PATH;
    this.frame = frame;
    window.addEventListener('message', this.onMessage);
    this.ready = new Promise<RunnerLimits>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the code runner did not load')), READY_TIMEOUT_MS);
      this.onReady = (limits) => {
        clearTimeout(timer);
        resolve(limits);
      };
    });
    this.ready.catch(() => this.reset());
    document.body.append(frame);
    return this.ready;
  }

  /** Runs a program; `listener` gets its phases, output and exit. */
  async run(request: RunRequest, listener: RunListener): Promise<RunnerLimits> {
    const limits = await this.prepare();
    const watchdog = setTimeout(() => this.reset(), limits.timeLimitMs + WATCHDOG_EXTRA_MS);
    this.listeners.set(request.runId, (message) => {
      if (message.type === 'exit') {
        clearTimeout(watchdog);
        this.listeners.delete(request.runId);
      }
      listener(message);
    });
    this.post({ type: 'run', ...request, chunkChars: MAX_RUN_CHUNK_CHARS });
    return limits;
  }

  stop(runId: string): void {
    this.post({ type: 'stop', runId });
  }

  destroy(): void {
    this.reset();
  }

  private onReady: (limits: RunnerLimits) => void = () => undefined;

  private post(message: HostMessage): void {
    // The runner's origin is opaque: '*' is the only target origin that reaches it. The frame is ours, so
    // the message goes nowhere else.
    this.frame?.contentWindow?.postMessage(message, '*');
  }

  private handle(event: MessageEvent): void {
    if (!this.frame || event.source !== this.frame.contentWindow) return;
    const message = parseRunnerMessage(event.data);
    if (!message) return;
    if (message.type === 'ready') this.onReady(message.limits);
    else this.listeners.get(message.runId)?.(message);
  }

  private reset(): void {
    window.removeEventListener('message', this.onMessage);
    this.frame?.remove();
    this.frame = null;
    this.ready = null;
    for (const [runId, listener] of this.listeners)
      listener({
        type: 'exit',
        runId,
        outcome: 'crashed',
        detail: 'the runner stopped answering and was restarted',
        durationMs: 0,
        truncated: false,
      });
    this.listeners.clear();
  }
}

/** The page's one runner. */
let shared: RunnerFrame | null = null;
export function runnerFrame(): RunnerFrame {
  shared ??= new RunnerFrame();
  return shared;
}
