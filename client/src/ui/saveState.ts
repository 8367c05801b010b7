// Folds connection and document statuses into the one phrase the status bar shows about saving.
import type { ConnectionState } from '../collab/connectionState.ts';
import type { DocStatus } from '../collab/DocHandle.ts';

export type SaveState = 'saved' | 'saving' | 'offline' | 'readonly' | 'connecting';

export function saveStateOf(connection: ConnectionState, docs: readonly DocStatus[]): SaveState {
  const writable = docs.filter((d) => d.scope === 'read-write');
  if (connection.status !== 'online') {
    return connection.status === 'connecting' && writable.length === 0 ? 'connecting' : 'offline';
  }
  if (docs.some((d) => d.scope === 'pending' && !d.denied)) return 'connecting';
  if (writable.length === 0) return 'readonly';
  return writable.every((d) => d.synced && d.unsynced === 0) ? 'saved' : 'saving';
}

export const SAVE_LABELS: Record<SaveState, string> = {
  saved: 'All changes saved',
  saving: 'Saving…',
  offline: 'Changes kept on this device',
  readonly: 'Read-only',
  connecting: 'Connecting…',
};
