// The output panel's run state (client/src/runner/runState.ts), the language of a file, the run settings, and
// how Python errors are shown (client/src/runner/sandbox/pythonErrors.ts).
import { type RunEvent, runLanguageOf } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { applyRunEvent, MAX_VIEW_CHARS, startedView } from '../../../client/src/runner/runState.ts';
import { cleanTraceback, systemExitOk } from '../../../client/src/runner/sandbox/pythonErrors.ts';
import { loadConfig } from '../../../server/src/config.ts';

const start = { type: 'start', runId: 'run-00000001', fileName: 'a.py', language: 'python', at: 1 } as const;
const by = { id: 'ada', name: 'Ada' };
const out = (seq: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): RunEvent => ({
  type: 'output',
  runId: start.runId,
  seq,
  stream,
  text,
});

describe('run state', () => {
  it('merges chunks of one stream, keeps streams apart, and drops repeated chunks', () => {
    let view = startedView(start, by, { own: false, shared: true });
    for (const event of [out(0, 'a'), out(1, 'b'), out(1, 'b'), out(2, 'err', 'stderr'), out(3, 'c')])
      view = applyRunEvent(view, event)!;
    expect(view.segments).toEqual([
      { stream: 'stdout', text: 'ab' },
      { stream: 'stderr', text: 'err' },
      { stream: 'stdout', text: 'c' },
    ]);
    expect(view.chars).toBe(6);
  });

  it('marks a run started for staff only', () => {
    expect(startedView(start, by, { own: false, shared: true }).staffOnly).toBe(false);
    expect(startedView({ ...start, audience: 'staff' }, by, { own: false, shared: true }).staffOnly).toBe(
      true,
    );
  });

  it("ignores another run's events and anything after the exit", () => {
    const view = startedView(start, by, { own: true, shared: true });
    expect(applyRunEvent(view, { ...out(0, 'x'), runId: 'other-run-1' })).toBe(view);
    const ended = applyRunEvent(view, {
      type: 'exit',
      runId: start.runId,
      outcome: 'timeout',
      detail: 'time limit',
      durationMs: 10_000,
      truncated: false,
    })!;
    expect(ended).toMatchObject({ phase: 'ended', outcome: 'timeout', detail: 'time limit' });
    expect(applyRunEvent(ended, out(0, 'late'))).toBe(ended);
  });

  it('keeps at most MAX_VIEW_CHARS characters and marks the rest truncated', () => {
    let view = startedView(start, by, { own: false, shared: true });
    const big = 'z'.repeat(16 * 1024);
    for (let seq = 0; seq * big.length < MAX_VIEW_CHARS + 3 * big.length; seq++)
      view = applyRunEvent(view, out(seq, big))!;
    expect(view.chars).toBe(MAX_VIEW_CHARS);
    expect(view.truncated).toBe(true);
  });
});

describe('run languages and settings', () => {
  it('runs .py, .js and .ts files (by extension, any case) and nothing else', () => {
    expect(runLanguageOf('main.py')).toBe('python');
    expect(runLanguageOf('APP.JS')).toBe('javascript');
    expect(runLanguageOf('x.mjs')).toBe('javascript');
    expect(runLanguageOf('types.ts')).toBe('typescript');
    for (const name of ['README.md', 'py', '.py', 'x.constructor', 'a.java'])
      expect(runLanguageOf(name)).toBeNull();
  });

  it('reads the time limit and output cap, with defaults of 10 s and 1 MiB', () => {
    expect(loadConfig({}).run).toEqual({ timeLimitMs: 10_000, maxOutputBytes: 1024 * 1024 });
    expect(loadConfig({ RUN_TIME_LIMIT_SECONDS: '30', RUN_MAX_OUTPUT_BYTES: '4096' }).run).toEqual({
      timeLimitMs: 30_000,
      maxOutputBytes: 4096,
    });
    expect(() => loadConfig({ RUN_TIME_LIMIT_SECONDS: '0' })).toThrow(/RUN_TIME_LIMIT_SECONDS/);
    expect(() => loadConfig({ RUN_MAX_OUTPUT_BYTES: '10' })).toThrow(/RUN_MAX_OUTPUT_BYTES/);
  });
});

describe('Python errors', () => {
  const pyodideError = [
    'Traceback (most recent call last):',
    '  File "/lib/python314.zip/_pyodide/_base.py", line 619, in eval_code_async',
    '    await CodeRunner(',
    '    ...<10 lines>...',
    '  File "main.py", line 6, in <module>',
    '    print("careful:", 1 / 0)',
    '                      ~~^~~',
    'ZeroDivisionError: division by zero',
  ].join('\n');

  it("drops Pyodide's own frames from a traceback and keeps the program's", () => {
    expect(cleanTraceback(pyodideError)).toBe(
      [
        'Traceback (most recent call last):',
        '  File "main.py", line 6, in <module>',
        '    print("careful:", 1 / 0)',
        '                      ~~^~~',
        'ZeroDivisionError: division by zero',
      ].join('\n'),
    );
  });

  it('treats sys.exit() and sys.exit(0) as success, other exits and errors not', () => {
    expect(systemExitOk('Traceback...\nSystemExit')).toBe(true);
    expect(systemExitOk('Traceback...\nSystemExit: 0\n')).toBe(true);
    expect(systemExitOk('Traceback...\nSystemExit: 3')).toBe(false);
    expect(systemExitOk(pyodideError)).toBeNull();
  });
});
