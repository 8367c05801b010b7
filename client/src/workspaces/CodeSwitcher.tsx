// The small switch above a student's editor: the class's shared code or their own workspace.
export type CodeView = 'class' | 'mine';

export function CodeSwitcher({ view, onChange }: { view: CodeView; onChange(view: CodeView): void }) {
  return (
    <fieldset className="code-switcher" aria-label="Which code">
      {(
        [
          ['class', 'Class code'],
          ['mine', 'My workspace'],
        ] as const
      ).map(([id, label]) => (
        <button
          key={id}
          type="button"
          aria-pressed={view === id}
          className={view === id ? 'switch-option active' : 'switch-option'}
          onClick={() => onChange(id)}
          data-code-view={id}
        >
          {label}
        </button>
      ))}
    </fieldset>
  );
}
