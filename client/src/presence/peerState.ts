// The awareness fields Tandem clients publish, and a defensive reader for other clients' states: the server
// vouches only for `user`; everything else is whatever a peer sent and is checked before use.
import { ROLES, type Role } from '@tandem/shared';
import type { Awareness } from 'y-protocols/awareness';
import { colorFor } from './colors.ts';

export interface MediaFlags {
  mic: boolean;
  cam: boolean;
  screen: boolean;
}

/** What this client sets on its own awareness state (the server adds `user`). */
export interface LocalPresence {
  /** Which file of the code document this client has open (file id), or null. */
  file: string | null;
  /** The editor's first visible line and scroll offset, for followers. */
  scroll: { top: number; line: number } | null;
  /** Who this client is following (user id), for "X is following Y" hints. */
  following: string | null;
  idle: boolean;
  media: MediaFlags;
  /** Whiteboard pointer in board coordinates, or null when off the board. */
  pointer: { x: number; y: number } | null;
  /** What this client has on screen: the code editor, the whiteboard or the call's stage. */
  view: PresenceView | null;
}

export type PresenceView = 'editor' | 'board' | 'video';

/** Where a person is: a file of the code document, the whiteboard, or the stage (the call shown large). */
export type Place = { kind: 'file'; fileId: string } | { kind: 'board' } | { kind: 'stage' };

export interface Peer extends LocalPresence {
  clientId: number;
  user: { id: string; name: string; role: Role };
  color: string;
  isSelf: boolean;
  /** Raw y-monaco style selection (relative positions) for the editor to resolve. */
  selection: { anchor: unknown; head: unknown } | null;
}

export const NO_MEDIA: MediaFlags = Object.freeze({ mic: false, cam: false, screen: false });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function readUser(value: unknown): Peer['user'] | null {
  if (!isObject(value)) return null;
  const { id, name, role } = value;
  if (typeof id !== 'string' || typeof name !== 'string') return null;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
  return { id: id.slice(0, 64), name: name.slice(0, 80), role: role as Role };
}

/** Reads one awareness state; null when it carries no server-set identity (not joined yet). */
export function readPeer(clientId: number, state: unknown, selfClientId: number): Peer | null {
  if (!isObject(state)) return null;
  const user = readUser(state.user);
  if (!user) return null;
  const scroll =
    isObject(state.scroll) && finite(state.scroll.top) && finite(state.scroll.line) ? state.scroll : null;
  const pointer =
    isObject(state.pointer) && finite(state.pointer.x) && finite(state.pointer.y) ? state.pointer : null;
  const media = isObject(state.media) ? state.media : {};
  const selection =
    isObject(state.selection) && state.selection.anchor != null && state.selection.head != null
      ? { anchor: state.selection.anchor, head: state.selection.head }
      : null;
  const view =
    state.view === 'editor' || state.view === 'board' || state.view === 'video' ? state.view : null;
  return {
    clientId,
    user,
    color: colorFor(user.id),
    isSelf: clientId === selfClientId,
    file: typeof state.file === 'string' ? state.file.slice(0, 64) : null,
    scroll: scroll ? { top: scroll.top as number, line: scroll.line as number } : null,
    following: typeof state.following === 'string' ? state.following.slice(0, 64) : null,
    idle: state.idle === true,
    media: { mic: media.mic === true, cam: media.cam === true, screen: media.screen === true },
    pointer: pointer ? { x: pointer.x as number, y: pointer.y as number } : null,
    view,
    selection,
  };
}

export function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const peer = readPeer(clientId, state, awareness.clientID);
    if (peer) peers.push(peer);
  }
  return peers;
}

export interface Person {
  user: Peer['user'];
  color: string;
  isSelf: boolean;
  /** Idle only when every one of the person's tabs is idle. */
  idle: boolean;
  files: string[];
  /** Where each of their tabs is, without repeats. */
  places: Place[];
  media: MediaFlags;
  clients: number[];
}

/** Where one tab is: the view it shows, or the file open in its editor. */
export function placeOf(peer: Pick<Peer, 'view' | 'file'>): Place | null {
  if (peer.view === 'board') return { kind: 'board' };
  if (peer.view === 'video') return { kind: 'stage' };
  return peer.file ? { kind: 'file', fileId: peer.file } : null;
}

function samePlace(a: Place, b: Place): boolean {
  return a.kind === b.kind && (a.kind !== 'file' || (b.kind === 'file' && a.fileId === b.fileId));
}

const ROLE_ORDER: Record<Role, number> = { instructor: 0, assistant: 1, student: 2, observer: 3 };

/** One row per person (a user may have several tabs), staff first, then by name. */
export function groupPeople(peers: readonly Peer[]): Person[] {
  const byUser = new Map<string, Person>();
  for (const peer of peers) {
    const person = byUser.get(peer.user.id);
    const place = placeOf(peer);
    if (!person) {
      byUser.set(peer.user.id, {
        user: peer.user,
        color: peer.color,
        isSelf: peer.isSelf,
        idle: peer.idle,
        files: peer.file ? [peer.file] : [],
        places: place ? [place] : [],
        media: { ...peer.media },
        clients: [peer.clientId],
      });
      continue;
    }
    person.isSelf ||= peer.isSelf;
    person.idle &&= peer.idle;
    if (peer.file && !person.files.includes(peer.file)) person.files.push(peer.file);
    if (place && !person.places.some((p) => samePlace(p, place))) person.places.push(place);
    person.media = {
      mic: person.media.mic || peer.media.mic,
      cam: person.media.cam || peer.media.cam,
      screen: person.media.screen || peer.media.screen,
    };
    person.clients.push(peer.clientId);
  }
  return [...byUser.values()].sort(
    (a, b) => ROLE_ORDER[a.user.role] - ROLE_ORDER[b.user.role] || a.user.name.localeCompare(b.user.name),
  );
}
