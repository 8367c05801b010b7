// The small switch above a student's editor: the class's shared code or their own workspace; in a breakout
// group, the group's code, the main class's code (read-only from a group) and their own workspace. Pair rooms
// are not offered: nothing assigns pairs, a pair page is reached only by its link (`/c/<id>/pair/<key>`).
export type CodeView = 'class' | 'main' | 'mine';

const OPTIONS: Record<'class' | 'group', readonly (readonly [CodeView, string])[]> = {
  class: [
    ['class', 'Class code'],
    ['mine', 'My workspace'],
  ],
  group: [
    ['class', 'Group code'],
    ['main', 'Main class code'],
    ['mine', 'My workspace'],
  ],
};

export function CodeSwitcher({
  view,
  inGroup,
  onChange,
}: {
  view: CodeView;
  /** On a breakout group's page. */
  inGroup: boolean;
  onChange(view: CodeView): void;
}) {
  return (
    <fieldset className="code-switcher" aria-label="Which code">
      {OPTIONS[inGroup ? 'group' : 'class'].map(([id, label]) => (
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
