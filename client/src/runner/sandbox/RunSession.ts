// One run inside the runner page: hands the program to a worker, counts the time limit from the moment the
// code starts (not while Pyodide loads), batches output into chunks, caps it, and terminates the worker when
// the run is stopped, overruns its time or writes too much. Reports through `emit` (to the host page).
import type { RunOutcome, RunStream } from '@tandem/shared';
import type { HostMessage, RunnerLimits, RunnerMessage } from '../frameProtocol.ts';
import type { FromWorker } from './workerProtocol.ts';

/** Output is passed on at most this often (it streams, without one message per print). */
const FLUSH_INTERVAL_MS = 50;
/** How long Pyodide may take to load before the run is given up. */
const LOAD_TIMEOUT_MS = 60_000;

type RunRequest = Extract<HostMessage, { type: 'run' }>;

export class RunSession {
  private readonly encoder = new TextEncoder();
  private buffer: { stream: RunStream; text: string } | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private limitTimer: ReturnType<typeof setTimeout>;
  private bytes = 0;
  private startedAt = performance.now();
  private ended = false;
  private truncated = false;

  constructor(
    private readonly request: RunRequest,
    private readonly worker: Worker,
    private readonly limits: RunnerLimits,
    private readonly emit: (message: RunnerMessage) => void,
    /** Called once the run has ended (the worker is gone). */
    private readonly onEnd: () => void,
  ) {
    const runId = request.runId;
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.handle(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.end('crashed', event.message || 'the runner stopped unexpectedly');
    };
    this.limitTimer = setTimeout(
      () => this.end('error', `the language runtime did not load within ${LOAD_TIMEOUT_MS / 1000} s`),
      LOAD_TIMEOUT_MS,
    );
    this.emit({ type: 'phase', runId, phase: 'loading' });
    worker.postMessage({
      type: 'run',
      files: request.files,
      entry: request.entry,
      stdin: request.stdin,
    });
  }

  get runId(): string {
    return this.request.runId;
  }

  stop(): void {
    this.end('stopped', 'stopped by the Stop button');
  }

  private handle(message: FromWorker): void {
    if (this.ended) return;
    switch (message.type) {
      case 'loaded':
        return;
      case 'loadFailed':
        this.write('stderr', `${message.detail}\n`);
        this.end('error', message.detail);
        return;
      case 'started': {
        clearTimeout(this.limitTimer);
        this.startedAt = performance.now();
        const seconds = this.limits.timeLimitMs / 1000;
        this.limitTimer = setTimeout(
          () => this.end('timeout', `stopped: the time limit of ${seconds} s was reached`),
          this.limits.timeLimitMs,
        );
        this.emit({ type: 'phase', runId: this.runId, phase: 'running' });
        return;
      }
      case 'out':
        this.write(message.stream, message.text);
        return;
      case 'done':
        this.end(message.ok ? 'ok' : 'error', message.detail);
        return;
      default: {
        const unknown: never = message;
        throw new Error(`unknown worker message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private write(stream: RunStream, text: string): void {
    const size = this.encoder.encode(text).length;
    if (this.bytes + size > this.limits.maxOutputBytes) {
      // Keep what fits (by characters, close enough for the cut), then stop the program.
      const room = Math.max(0, this.limits.maxOutputBytes - this.bytes);
      this.append(stream, text.slice(0, room));
      this.truncated = true;
      const mib = (this.limits.maxOutputBytes / 1024 / 1024).toFixed(1);
      this.end('output_limit', `output truncated: the program wrote more than ${mib} MiB`);
      return;
    }
    this.bytes += size;
    this.append(stream, text);
  }

  private append(stream: RunStream, text: string): void {
    if (!text) return;
    if (this.buffer && this.buffer.stream !== stream) this.flush();
    this.buffer = this.buffer ? { stream, text: this.buffer.text + text } : { stream, text };
    while (this.buffer && this.buffer.text.length >= this.request.chunkChars) {
      const head = this.buffer.text.slice(0, this.request.chunkChars);
      this.buffer.text = this.buffer.text.slice(this.request.chunkChars);
      this.emit({ type: 'output', runId: this.runId, stream, text: head });
      if (!this.buffer.text) this.buffer = null;
    }
    if (this.buffer && !this.flushTimer)
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush();
      }, FLUSH_INTERVAL_MS);
  }

  private flush(): void {
    if (!this.buffer) return;
    const { stream, text } = this.buffer;
    this.buffer = null;
    this.emit({ type: 'output', runId: this.runId, stream, text });
  }

  private end(outcome: RunOutcome, detail: string | null): void {
    if (this.ended) return;
    this.ended = true;
    this.worker.terminate();
    clearTimeout(this.limitTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flush();
    this.emit({
      type: 'exit',
      runId: this.runId,
      outcome,
      detail,
      durationMs: Math.round(performance.now() - this.startedAt),
      truncated: this.truncated,
    });
    this.onEnd();
  }
}
