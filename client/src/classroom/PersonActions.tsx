// The per-person actions menu for staff, from a row of the people list or a video tile: it asks the server
// how the person takes part now and offers only what the shared rules allow (personActions): mute, stop
// camera or screen, let them speak or present (or back to the class rules), remove them from the call or
// from the class (asked twice), let them back in. The person acted on is told by the server; the actor gets
// no notification about their own action, only an error here when something was refused.
import {
  isStaff,
  type MenuAction,
  type PersonActionBody,
  type PersonModeration,
  personActions,
} from '@tandem/shared';
import { type ReactNode, type ToggleEvent, useCallback, useId, useMemo, useRef, useState } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { ClassroomApi } from './api.ts';
import './personActions.css';

const LABELS: Record<MenuAction, string> = {
  mute: 'Mute microphone',
  'stop-camera': 'Stop camera',
  'stop-screen': 'Stop screen share',
  'let-speak': 'Let speak',
  'let-present': 'Let present',
  'revoke-grant': 'Back to the class rules',
  'remove-from-call': 'Remove from the call',
  'remove-from-class': 'Remove from the class…',
  'let-back-in': 'Let back in',
};

const BODIES: Record<Exclude<MenuAction, 'let-back-in'>, PersonActionBody> = {
  mute: { action: 'mute' },
  'stop-camera': { action: 'stop-camera' },
  'stop-screen': { action: 'stop-screen' },
  'let-speak': { action: 'grant', grant: 'speak' },
  'let-present': { action: 'grant', grant: 'present' },
  'revoke-grant': { action: 'grant', grant: null },
  'remove-from-call': { action: 'remove-from-call' },
  'remove-from-class': { action: 'remove-from-class' },
};

export interface PersonRefLike {
  id: string;
  name: string;
}

/** Renders a person's actions menu (what usePersonActions gives staff). */
export type PersonActionsFor = (person: PersonRefLike) => ReactNode;

/** For staff: renders the actions menu of a person; undefined for everyone else (nothing to show). */
export function usePersonActions(room: Classroom, classId: string): PersonActionsFor | undefined {
  const claims = room.claims;
  const api = useMemo(() => new ClassroomApi(() => room.session.token(), classId), [room.session, classId]);
  return useMemo(() => {
    if (!claims || !isStaff(claims.role)) return undefined;
    const actor = { userId: claims.sub, role: claims.role };
    return (person: PersonRefLike) =>
      person.id === actor.userId ? null : <PersonActions api={api} actor={actor} person={person} />;
  }, [api, claims]);
}

export function PersonActions({
  api,
  actor,
  person,
}: {
  api: ClassroomApi;
  actor: Parameters<typeof personActions>[0];
  person: PersonRefLike;
}) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<PersonModeration | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    setError(null);
    setConfirming(false);
    api.person(person.id).then(
      (reply) => setState(reply.person),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [api, person.id]);

  // The menu lives in the top layer (a popover), so a tile's overflow cannot clip it; placed under the button.
  const onToggle = (event: ToggleEvent<HTMLDivElement>) => {
    if (event.newState !== 'open') return;
    const rect = buttonRef.current?.getBoundingClientRect();
    const menu = menuRef.current;
    if (rect && menu) {
      menu.style.top = `${Math.min(rect.bottom + 4, window.innerHeight - 40)}px`;
      menu.style.left = `${Math.max(8, Math.min(rect.right - 220, window.innerWidth - 228))}px`;
    }
    load();
  };

  const run = (action: MenuAction) => {
    if (action === 'remove-from-class' && !confirming) return setConfirming(true);
    setBusy(true);
    setError(null);
    const done = action === 'let-back-in' ? api.letBackIn(person.id) : api.actOn(person.id, BODIES[action]);
    done.then(
      () => {
        setBusy(false);
        menuRef.current?.hidePopover();
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  const actions = state ? personActions(actor, state) : [];
  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button person-actions-button"
        popoverTarget={menuId}
        aria-label={`Actions for ${person.name}`}
        title={`Actions for ${person.name}`}
        data-testid="person-actions"
        data-user-id={person.id}
      >
        ⋯
      </button>
      <div
        ref={menuRef}
        id={menuId}
        popover="auto"
        className="person-actions-menu"
        role="menu"
        aria-label={`Actions for ${person.name}`}
        data-testid="person-actions-menu"
        onToggle={onToggle}
      >
        <div className="person-actions-title">{person.name}</div>
        {state === null && !error && <p className="muted">Loading…</p>}
        {state && actions.length === 0 && <p className="muted">Nothing to do for {person.name} now.</p>}
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            role="menuitem"
            className={action.startsWith('remove') ? 'danger' : ''}
            disabled={busy}
            onClick={() => run(action)}
            data-action={action}
          >
            {action === 'remove-from-class' && confirming
              ? `Remove ${person.name} until you let them back in`
              : LABELS[action]}
          </button>
        ))}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </>
  );
}
