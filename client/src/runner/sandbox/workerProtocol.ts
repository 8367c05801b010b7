// The messages between the runner page and the worker that runs one program. Types only.
import type { RunLanguage, RunStream } from '@tandem/shared';
import type { RunFile } from '../frameProtocol.ts';

/** Runner page -> worker: load the language's runtime now (a spare warms up before it is needed). */
export interface WorkerInit {
  type: 'init';
  language: RunLanguage;
  /** Absolute URL of Pyodide's folder on this server. */
  pyodideUrl: string | null;
}

/** Runner page -> worker: run this program (once; the worker is thrown away afterwards). */
export interface WorkerRun {
  type: 'run';
  files: RunFile[];
  entry: string;
  stdin: string;
}

export type ToWorker = WorkerInit | WorkerRun;

export type FromWorker =
  | { type: 'loaded' }
  | { type: 'loadFailed'; detail: string }
  | { type: 'started' }
  | { type: 'out'; stream: RunStream; text: string }
  | { type: 'done'; ok: boolean; detail: string | null };
