// The worker that runs one program inside the sandboxed runner page: it loads the language's runtime when
// told to (`init`), runs the program once (`run`) and reports its output and end. The runner page terminates
// it to stop a run (the Stop button, the time limit, the output cap), so nothing here has to be interruptible.
import type { RunStream } from '@tandem/shared';
import { runJavaScript } from './runJavaScript.ts';
import { loadPython, type PythonRuntime } from './runPython.ts';
import type { FromWorker, ToWorker, WorkerInit } from './workerProtocol.ts';

const post = (message: FromWorker) => self.postMessage(message);
const out = (stream: RunStream, text: string) => {
  if (text) post({ type: 'out', stream, text });
};

let init: WorkerInit | null = null;
let python: Promise<PythonRuntime> | null = null;
let ran = false;

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'init') {
    init = message;
    if (message.language === 'python') {
      python = loadPython(message.pyodideUrl);
      python.then(
        () => post({ type: 'loaded' }),
        (error: unknown) => post({ type: 'loadFailed', detail: describe(error) }),
      );
    } else post({ type: 'loaded' });
    return;
  }
  if (message.type === 'run' && init && !ran) {
    ran = true;
    const language = init.language;
    const run =
      language === 'python'
        ? python!.then((runtime) => {
            post({ type: 'started' });
            return runtime.run(message, out);
          })
        : Promise.resolve().then(() => {
            post({ type: 'started' });
            return runJavaScript(message, out);
          });
    run.then(
      (end) => post({ type: 'done', ...end }),
      (error: unknown) => {
        out('stderr', `${describe(error)}\n`);
        post({ type: 'done', ok: false, detail: describe(error).split('\n')[0] ?? null });
      },
    );
  }
});

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
