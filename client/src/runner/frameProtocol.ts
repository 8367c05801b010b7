// The messages between the class page (the host) and the sandboxed runner page it frames, over postMessage.
// Types only: the runner page is its own bundle and must share no code chunk with the app (see
// vite.config.ts); the host checks what the runner sends with frameMessages.ts.
import type { RunLanguage, RunOutcome, RunStream } from '@tandem/shared';

export interface RunFile {
  name: string;
  text: string;
}

/** Host -> runner. */
export type HostMessage =
  | {
      type: 'run';
      runId: string;
      language: RunLanguage;
      files: RunFile[];
      /** The file to run (one of `files`). */
      entry: string;
      stdin: string;
      /** Output is passed on in chunks of at most this many characters. */
      chunkChars: number;
    }
  | { type: 'stop'; runId: string };

/** The runner's limits, from the server's settings (RUN_TIME_LIMIT_SECONDS, RUN_MAX_OUTPUT_BYTES). */
export interface RunnerLimits {
  timeLimitMs: number;
  maxOutputBytes: number;
  python: boolean;
}

/** Runner -> host. */
export type RunnerMessage =
  | { type: 'ready'; limits: RunnerLimits }
  /** `loading`: the language runtime is loading (Pyodide); `running`: the code runs, the time limit counts. */
  | { type: 'phase'; runId: string; phase: 'loading' | 'running' }
  | { type: 'output'; runId: string; stream: RunStream; text: string }
  | {
      type: 'exit';
      runId: string;
      outcome: RunOutcome;
      detail: string | null;
      durationMs: number;
      truncated: boolean;
    };
