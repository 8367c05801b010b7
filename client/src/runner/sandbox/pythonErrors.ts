// Makes Pyodide's error for a failed program read like Python's own: the traceback without the frames of
// Pyodide's machinery (files inside /lib/python*.zip/_pyodide), and SystemExit treated as the program ending.

/** The traceback as the student should see it. */
export function cleanTraceback(message: string): string {
  const lines = message.split('\n');
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (line.startsWith('  File "')) skipping = /^ {2}File "\/lib\/python[^"]*\/_pyodide\//.test(line);
    else if (!line.startsWith('    ')) skipping = false;
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}

/** For a SystemExit: whether the exit status means success (sys.exit(), sys.exit(0)); null for other errors. */
export function systemExitOk(message: string): boolean | null {
  const last = message.trimEnd().split('\n').pop() ?? '';
  const match = /^SystemExit(?::\s*(.*))?$/.exec(last);
  if (!match) return null;
  const status = (match[1] ?? '').trim();
  return status === '' || status === '0' || status === 'None';
}
