// Connection and save state in a few words, with a retry button while offline. "Offline" shows as soon as
// the browser or the heartbeat says so (see collab/CollabSession.ts), not when the socket times out.
import type { CollabSession } from '../collab/CollabSession.ts';
import { describeConnection } from '../collab/connectionState.ts';
import type { DocHandle } from '../collab/DocHandle.ts';
import { useConnectionState, useDocStatuses } from '../collab/useCollab.ts';
import { SAVE_LABELS, saveStateOf } from './saveState.ts';

export function StatusBar({ session, handles }: { session: CollabSession; handles: readonly DocHandle[] }) {
  const connection = useConnectionState(session);
  const statuses = useDocStatuses(handles);
  const save = saveStateOf(connection, statuses);
  return (
    <div className="status-bar" role="status" aria-live="polite">
      <span
        className={`conn conn-${connection.status}`}
        data-testid="connection"
        data-status={connection.status}
        title={describeConnection(connection)}
      >
        <span className="conn-dot" />
        {connection.status === 'online'
          ? 'Connected'
          : connection.status === 'refused'
            ? 'Not signed in'
            : connection.status === 'offline'
              ? 'Offline'
              : describeConnection(connection)}
      </span>
      {connection.status !== 'refused' && (
        <span className={`save save-${save}`} data-testid="save-state" data-state={save}>
          {SAVE_LABELS[save]}
        </span>
      )}
      {connection.status === 'offline' && (
        <button type="button" className="link-button" onClick={() => void session.socket.connect()}>
          Retry now
        </button>
      )}
    </div>
  );
}
