// Reports the embedded class to the host page: joined (with the server-granted scope), presence changes,
// save state transitions, refusals, and a warning a minute before the token expires.
import type { EmbedPerson } from '@tandem/shared';
import { useEffect, useRef } from 'react';
import type { Classroom } from '../app/useClassroom.ts';
import { useConnectionState, useDocStatuses } from '../collab/useCollab.ts';
import { groupPeople } from '../presence/peerState.ts';
import { saveStateOf } from '../ui/saveState.ts';
import type { EmbedBridge } from './EmbedBridge.ts';

export const TOKEN_WARNING_MS = 60_000;
const PRESENCE_MIN_INTERVAL_MS = 500;

export function useEmbedEvents(
  bridge: EmbedBridge,
  room: Classroom,
  fileNames: (id: string) => string | undefined,
) {
  const connection = useConnectionState(room.session);
  const statuses = useDocStatuses(room.handles);
  const joinedRef = useRef(false);

  // joined: once, when the first document is authenticated.
  const granted = statuses.find((s) => s.scope !== 'pending')?.scope;
  const scope = granted === 'pending' ? undefined : granted;
  useEffect(() => {
    if (!scope || joinedRef.current || !room.claims) return;
    joinedRef.current = true;
    const { sub, name, role, cls } = room.claims;
    bridge.send({ type: 'joined', classId: cls, user: { id: sub, name, role }, scope });
  }, [scope, bridge, room.claims]);

  // saved: on every change between saved and not saved.
  const save = saveStateOf(connection, statuses);
  const pending = statuses.reduce((n, s) => n + (s.scope === 'read-write' ? s.unsynced : 0), 0);
  const lastSaved = useRef<boolean | null>(null);
  useEffect(() => {
    if (save === 'connecting' || save === 'readonly') return;
    const saved = save === 'saved';
    if (lastSaved.current === saved) return;
    lastSaved.current = saved;
    bridge.send({ type: 'saved', saved, pending });
  }, [save, pending, bridge]);

  // error: the connection dropped (once per outage), or the server refused the token.
  const offline = connection.status === 'offline';
  useEffect(() => {
    if (offline)
      bridge.send({
        type: 'error',
        code: 'connection_lost',
        message: 'connection lost; reconnecting, edits are kept',
      });
  }, [offline, bridge]);
  useEffect(() => {
    if (connection.status !== 'refused') return;
    // The embed protocol has no code of its own for a removal: forbidden, with the server's reason.
    const code =
      connection.reason === 'expired'
        ? 'token_expired'
        : connection.reason === 'removed'
          ? 'forbidden'
          : connection.reason;
    bridge.send({ type: 'error', code, message: connection.message || code });
  }, [connection, bridge]);

  // presence: the people list, at most twice a second, only when it changed.
  const people: EmbedPerson[] = groupPeople(room.peers).map((p) => ({
    id: p.user.id,
    name: p.user.name,
    role: p.user.role,
    status: p.idle ? 'idle' : 'active',
    file: p.files[0] ? (fileNames(p.files[0]) ?? null) : null,
  }));
  const serialized = JSON.stringify(people);
  const lastPresence = useRef({ text: '', at: 0 });
  useEffect(() => {
    // Until our own presence is known the list is empty: not worth telling the host.
    if (people.length === 0 || serialized === lastPresence.current.text) return;
    const wait = Math.max(0, lastPresence.current.at + PRESENCE_MIN_INTERVAL_MS - Date.now());
    const timer = setTimeout(() => {
      lastPresence.current = { text: serialized, at: Date.now() };
      bridge.send({ type: 'presence', people: JSON.parse(serialized) as EmbedPerson[] });
    }, wait);
    return () => clearTimeout(timer);
  }, [serialized, bridge, people.length]);

  // token_expiring: a minute ahead, so the host can send a fresh token with setToken.
  const exp = room.claims?.exp;
  useEffect(() => {
    if (!exp) return;
    const timer = setTimeout(
      () =>
        bridge.send({
          type: 'error',
          code: 'token_expiring',
          message: 'the token expires in under a minute; send setToken',
        }),
      Math.max(0, exp * 1000 - Date.now() - TOKEN_WARNING_MS),
    );
    return () => clearTimeout(timer);
  }, [exp, bridge]);
}
