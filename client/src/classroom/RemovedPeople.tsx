// Staff: the people removed from the class for the rest of the session, each with "Let back in". The list
// comes with the class state (reloaded when someone is removed or let back in).
import type { RemovedPerson } from '@tandem/shared';
import { useState } from 'react';
import type { ClassroomApi } from './api.ts';

export function RemovedPeople({ api, removed }: { api: ClassroomApi; removed: readonly RemovedPerson[] }) {
  const [error, setError] = useState<string | null>(null);
  const letBackIn = (userId: string) => {
    setError(null);
    api.letBackIn(userId).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <section
      className="control-group removed-people"
      aria-label="Removed from class"
      data-testid="removed-people"
    >
      <h3>Removed from class</h3>
      {removed.length === 0 ? (
        <p className="muted">
          Nobody. People you remove stay out until you let them back in or the class ends.
        </p>
      ) : (
        <ul>
          {removed.map((p) => (
            <li key={p.userId} data-user-id={p.userId}>
              <span>
                {p.name} <span className="muted">(by {p.byName})</span>
              </span>{' '}
              <button type="button" onClick={() => letBackIn(p.userId)} data-testid="let-back-in">
                Let back in
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
