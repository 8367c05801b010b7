// An on/off switch: a real checkbox (keyboard, forms and tests work as usual) announced as a switch and drawn
// as one, so a setting looks like a control and not like a line of text. When the change goes to the server
// (onChange returns a promise), the switch shows the new position until the state it reflects changes (or
// the request fails, or PENDING_MAX_MS pass), so it does not flick back while the answer travels.
import { type ReactNode, useEffect, useState } from 'react';

const PENDING_MAX_MS = 5000;

export function Switch(props: {
  checked: boolean;
  onChange(on: boolean): Promise<unknown> | undefined;
  testId?: string;
  title?: string;
  children: ReactNode;
}) {
  const [pending, setPending] = useState<boolean | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new real state ends the pending one
  useEffect(() => setPending(null), [props.checked]);
  useEffect(() => {
    if (pending === null) return;
    const timer = setTimeout(() => setPending(null), PENDING_MAX_MS);
    return () => clearTimeout(timer);
  }, [pending]);
  const checked = pending ?? props.checked;
  return (
    <label className="switch" title={props.title}>
      <input
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        onChange={(e) => {
          const on = e.target.checked;
          const done = props.onChange(on);
          if (!done) return;
          setPending(on);
          done.catch(() => setPending(null));
        }}
        data-testid={props.testId}
      />
      <span className="switch-track" aria-hidden="true" />
      <span className="switch-label">{props.children}</span>
    </label>
  );
}
