// Feeds the PresenceTracker from collaboration connections (every authenticated document connection is a
// device) and enforces a live session's participant limit on arrival: students and observers beyond it are
// refused with 4503; staff, and people already present on another device, always get in. Admission reads
// storage, so it is awaited (Hocuspocus awaits the `connected` hook); a connection that closes meanwhile is
// never added.
import type { UserIdentity } from '@tandem/shared';
import { closeConnection } from '../collab/closeConnection.ts';
import type { ConnectionEvents } from '../collab/connectionEvents.ts';
import type { CollabContext } from '../collab/context.ts';
import { AppError } from '../errors.ts';
import type { PresenceTracker } from './PresenceTracker.ts';

export type Admission = { ok: true } | { ok: false; reason: string };

export function feedPresence(
  events: ConnectionEvents,
  tracker: PresenceTracker,
  admit: (classId: string, user: UserIdentity) => Promise<Admission>,
): void {
  const tracked = new WeakMap<CollabContext, string>();
  const gone = new WeakSet<CollabContext>();
  events.onConnected(async (connection, context) => {
    const { user, doc } = context;
    if (!user || !doc) return;
    const admission = await admit(doc.classId, user);
    if (gone.has(context)) return;
    if (!admission.ok) return closeConnection(connection, new AppError('unavailable', admission.reason));
    tracked.set(context, doc.classId);
    tracker.add(doc.classId, { id: user.id, name: user.name, role: user.role });
  });
  events.onDisconnected((context) => {
    gone.add(context);
    const classId = tracked.get(context);
    if (!classId || !context.user) return;
    tracked.delete(context);
    tracker.remove(classId, context.user.id);
  });
}
