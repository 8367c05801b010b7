// Python in the runner's worker, on Pyodide served by Tandem itself (the npm package's runtime and standard
// library; no packages beyond it, nothing from a CDN). The program's files are written to Pyodide's virtual
// file system, so the entry file can import the others; input() and sys.stdin read the stdin box.
import type { RunStream } from '@tandem/shared';
import { cleanTraceback, systemExitOk } from './pythonErrors.ts';
import type { WorkerRun } from './workerProtocol.ts';

/** The part of Pyodide's API used here (the package's own types are not bundled into the worker). */
interface Pyodide {
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void };
  setStdout(options: { write(buffer: Uint8Array): number; isatty?: boolean }): void;
  setStderr(options: { write(buffer: Uint8Array): number; isatty?: boolean }): void;
  setStdin(options: { stdin(): string | null }): void;
  globals: { get(name: string): unknown };
  runPython(code: string, options?: { globals?: unknown; filename?: string }): unknown;
  runPythonAsync(code: string, options?: { globals?: unknown; filename?: string }): Promise<unknown>;
  toPy(value: unknown): unknown;
}

export interface RunEnd {
  ok: boolean;
  detail: string | null;
}

export interface PythonRuntime {
  run(request: WorkerRun, out: (stream: RunStream, text: string) => void): Promise<RunEnd>;
}

/** Where the program's files go; the entry file runs with this as its working directory. */
const HOME = '/home/pyodide/run';

export async function loadPython(pyodideUrl: string | null): Promise<PythonRuntime> {
  if (!pyodideUrl)
    throw new Error('Python is not available on this server (the pyodide package is missing).');
  const module = (await import(/* @vite-ignore */ `${pyodideUrl}pyodide.mjs`)) as {
    loadPyodide(options: { indexURL: string; fullStdLib?: boolean; stdout?: unknown }): Promise<Pyodide>;
  };
  const pyodide = await module.loadPyodide({ indexURL: pyodideUrl });
  return {
    async run(request, out) {
      const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
      // isatty: Python flushes each line at once (as in a terminal), so output streams while the code runs.
      const writer = (stream: RunStream) => ({
        isatty: true,
        write(buffer: Uint8Array) {
          out(stream, decoders[stream].decode(buffer, { stream: true }));
          return buffer.length;
        },
      });
      pyodide.setStdout(writer('stdout'));
      pyodide.setStderr(writer('stderr'));
      let stdin: string | null = request.stdin;
      // All of the box at the first read, then end of input (Pyodide splits it into lines for input()).
      pyodide.setStdin({
        stdin() {
          const text = stdin;
          stdin = null;
          return text === '' ? null : text;
        },
      });
      pyodide.FS.mkdirTree(HOME);
      for (const file of request.files) pyodide.FS.writeFile(`${HOME}/${file.name}`, file.text);
      pyodide.runPython(
        `import os, sys\nos.chdir(${JSON.stringify(HOME)})\nsys.path.insert(0, ${JSON.stringify(HOME)})`,
      );
      const entry = request.files.find((f) => f.name === request.entry);
      if (!entry) return { ok: false, detail: `no file named ${request.entry}` };
      const globals = pyodide.toPy({ __name__: '__main__', __file__: `${HOME}/${entry.name}` });
      try {
        await pyodide.runPythonAsync(entry.text, { globals, filename: entry.name });
        return { ok: true, detail: null };
      } catch (error) {
        // A PythonError's message is the traceback; its last line names the exception.
        const message = cleanTraceback(error instanceof Error ? error.message : String(error));
        const exitOk = systemExitOk(message);
        if (exitOk === true) return { ok: true, detail: null };
        out('stderr', message.endsWith('\n') ? message : `${message}\n`);
        const lines = message.trim().split('\n');
        return { ok: false, detail: lines[lines.length - 1] ?? null };
      } finally {
        pyodide.runPython('import sys\nsys.stdout.flush()\nsys.stderr.flush()');
        for (const stream of ['stdout', 'stderr'] as const) out(stream, decoders[stream].decode());
      }
    },
  };
}
