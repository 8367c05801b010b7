// `/demo`: opens the demo class as an instructor or a student with a token from POST /api/dev/token
// (only available when the server runs with DEMO=1 or DEV_TOKENS=1).
import type { Role } from '@tandem/shared';
import { type FormEvent, useState } from 'react';
import { newId } from '../util/ids.ts';
import { MessagePage } from './MessagePage.tsx';

export const DEMO_CLASS_ID = 'demo';

export async function fetchDemoToken(body: { sub: string; name: string; role: Role }): Promise<string> {
  const response = await fetch('/api/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, cls: DEMO_CLASS_ID, ttlSeconds: 8 * 3600 }),
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = (json as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(
      response.status === 404
        ? 'Demo tokens are not enabled on this server (start it with DEMO=1).'
        : (message ?? `the server answered ${response.status}`),
    );
  }
  const token = (json as { token?: unknown } | null)?.token;
  if (typeof token !== 'string') throw new Error('the server sent no token');
  return token;
}

export function DemoPage() {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async (role: Role, event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    const display =
      name.trim() || (role === 'instructor' ? 'Instructor' : role === 'observer' ? 'Observer' : 'Student');
    try {
      const sub = `${role.slice(0, 4)}-${newId(8)}`;
      const token = await fetchDemoToken({ sub, name: display.slice(0, 80), role });
      window.location.assign(`/c/${DEMO_CLASS_ID}#token=${encodeURIComponent(token)}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <MessagePage title="Tandem demo class">
      <p>Open the demo class in this tab. Open another tab (or another browser) to see live collaboration.</p>
      <form className="demo-form" onSubmit={(e) => void open('student', e)}>
        <label>
          Your name
          <input
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Grace"
          />
        </label>
        <div className="demo-buttons">
          <button type="button" className="primary" disabled={busy} onClick={() => void open('instructor')}>
            Join as instructor
          </button>
          <button type="submit" disabled={busy}>
            Join as student
          </button>
          <button type="button" disabled={busy} onClick={() => void open('observer')}>
            Watch as observer
          </button>
        </div>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </MessagePage>
  );
}
