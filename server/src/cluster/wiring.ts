// How a cluster node reaches into the rest of the server, in one place so app.ts only calls it: what a lost
// lease ends (sockets, calls, cached session), what counts as a class still in use here, and the join check
// that keeps a call on its class's owner. Type-only imports: nothing here loads without REDIS_URL.
import type { CollabService } from '../collab/CollabService.ts';
import { closeConnections } from '../collab/closeConnection.ts';
import { AppError } from '../errors.ts';
import type { MediaService, RoomAdmission } from '../media/index.ts';
import type { OpenedStorage } from '../storage/openStorage.ts';
import type { ClusterNode } from './ClusterNode.ts';

/** Media joins: only on the owner of the joiner's class, whatever `?class=` the socket was routed by. */
export function ownerOnlyAdmission(cluster: ClusterNode, inner: RoomAdmission): RoomAdmission {
  return {
    async admit(user, scope) {
      if (!(await cluster.serves(user.classId))) {
        throw new AppError('unavailable', 'this class is served by another server; reconnect to join');
      }
      await inner.admit(user, scope);
    },
  };
}

export interface ClusterParts {
  collab: CollabService;
  media: MediaService;
  storage: OpenedStorage;
}

export function connectCluster(cluster: ClusterNode, { collab, media, storage }: ClusterParts): void {
  if (storage.engine === 'postgres') storage.documents.useFences(cluster.fenceOf, cluster.handleFenced);
  // A lost lease ends the class here at once: its sockets close (clients reconnect to the new owner), its
  // documents unload without writing, its calls close and its cached live session is forgotten.
  cluster.onLost((classIds) => {
    const moved = new AppError('unavailable', 'this class moved to another server; reconnecting');
    closeConnections(
      classIds.flatMap((classId) => collab.connectionsOfClass(classId)),
      moved,
    );
    for (const classId of classIds) {
      void media.handOver(classId, moved.message);
      storage.sessions.forget(classId);
    }
  });
  cluster.setBusyCheck((classIds) =>
    classIds.some((classId) => collab.hasDocumentsOf(classId) || media.hasLiveRooms(classId)),
  );
}
