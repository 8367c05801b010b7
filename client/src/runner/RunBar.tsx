// The editor's run toolbar: Run (the open file, by its extension) or Stop, the stdin box to fill before a
// run, and who will see the output. Runs go to the room when this person may write the document, or to its
// staff only with audience 'staff' (a student's workspace open from the wall).
import { type CodeFile, runLanguageOf, type SharedRunAudience } from '@tandem/shared';
import { useState } from 'react';
import { Icon } from '../ui/icons.tsx';
import type { Runner } from './useRunner.ts';

const LANGUAGE_NAMES = { python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript' } as const;

export function RunBar({
  runner,
  files,
  fileId,
  writable,
  audience = 'room',
}: {
  runner: Runner;
  files: readonly CodeFile[];
  fileId: string | null;
  writable: boolean;
  audience?: SharedRunAudience;
}) {
  const [stdin, setStdin] = useState('');
  const [showInput, setShowInput] = useState(false);
  const file = files.find((f) => f.id === fileId) ?? null;
  const language = file ? runLanguageOf(file.name) : null;
  const running = runner.view?.own === true && runner.view.phase !== 'ended';
  const seconds = runner.limits ? runner.limits.timeLimitMs / 1000 : null;

  const run = () => {
    if (!file) return;
    runner.run({
      files: files.map((f) => ({ name: f.name, text: f.text.toString() })),
      entry: file.name,
      audience,
      stdin,
    });
  };

  return (
    <div className="run-bar" data-testid="run-bar">
      <div className="run-bar-row">
        {running ? (
          <button
            type="button"
            className="small-button danger"
            onClick={runner.stop}
            data-testid="stop-button"
          >
            <Icon name="close" size={14} /> Stop
          </button>
        ) : (
          <button
            type="button"
            className="small-button primary"
            onClick={run}
            disabled={!language}
            data-testid="run-button"
            title={
              language
                ? `Run ${file?.name} as ${LANGUAGE_NAMES[language]} in your browser`
                : 'Tandem runs .py, .js and .ts files'
            }
          >
            <Icon name="play" size={14} /> Run{file && language ? ` ${file.name}` : ''}
          </button>
        )}
        <button
          type="button"
          className="small-button"
          aria-expanded={showInput}
          onClick={() => setShowInput((s) => !s)}
          data-testid="stdin-toggle"
        >
          Input{stdin ? ' ·' : ''}
        </button>
        <span className="run-note muted">
          {!writable
            ? 'Only you see your runs'
            : audience === 'staff'
              ? 'Only staff see the output'
              : 'Everyone here sees the output'}
          {seconds !== null ? ` · stops after ${seconds} s` : ''}
        </span>
      </div>
      {showInput && (
        <textarea
          className="run-stdin"
          value={stdin}
          onChange={(e) => setStdin(e.target.value)}
          placeholder="Input for the program, read by input() and sys.stdin in Python, prompt() in JavaScript"
          rows={3}
          spellCheck={false}
          aria-label="Program input (stdin)"
          data-testid="stdin-input"
        />
      )}
    </div>
  );
}
