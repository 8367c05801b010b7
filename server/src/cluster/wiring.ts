// How a cluster node reaches into the rest of the server, in one place so app.ts only calls it: what a lost
// lease ends (sockets, calls, cached session), what counts as a class still in use here, and the join check
// that keeps a call on its class's owner, the cross-node events (notifications and class notices made away
// from the node serving their class reach its pages) and the poll timers of a class taken over. Type-only
// imports, and busMessages (plain valibot): ioredis and the cluster classes load only with REDIS_URL.
import type { ClassNotifier } from '../classroom/ClassNotifier.ts';
import type { NotificationService } from '../classroom/NotificationService.ts';
import type { CollabService } from '../collab/CollabService.ts';
import { closeConnections } from '../collab/closeConnection.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { MediaService, RoomAdmission } from '../media/index.ts';
import type { PollService } from '../polls/PollService.ts';
import type { OpenedStorage } from '../storage/openStorage.ts';
import { BUS_PROTOCOL_VERSION, notificationMessages } from './busMessages.ts';
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

/**
 * Notifications are stored by whichever node handled the event; the recipients' pages are connected to the
 * node serving the class (usually the same one, since class-scoped requests are forwarded there, but not for
 * an event raised elsewhere). A batch stored on a node that does not hold the class is published; only the
 * node holding it pushes it to its pages (the originating node pushed to its own already and ignores its own
 * message). A batch stored on the holder was pushed to every page it can have: nothing to publish.
 */
export function relayNotifications(cluster: ClusterNode, notifications: NotificationService): void {
  notifications.onStored((rootClassId, stored) => {
    if (cluster.holdsClass(rootClassId)) return;
    for (const message of notificationMessages(cluster.nodeId, rootClassId, [...stored])) {
      void cluster.bus.publish(message);
    }
  });
  cluster.bus.on('notifications', async (message) => {
    if (!cluster.holdsClass(message.classId)) return;
    await notifications.pushToOpenPages(message.classId, message.notifications);
  });
}

/**
 * A class notice made here for a class another node serves (a poll closed by a timer this node armed at start)
 * would reach nobody: it is published, and the node serving the class pushes it to the audience there. A
 * notice for a class served here (nearly all of them) stays local.
 */
export function relayClassNotices(cluster: ClusterNode, notifier: ClassNotifier): void {
  notifier.onSent((classId, notice, audience) => {
    if (cluster.holdsClass(classId)) return;
    void cluster.bus.publish({
      v: BUS_PROTOCOL_VERSION,
      kind: 'classNotice',
      from: cluster.nodeId,
      classId,
      audience,
      notice,
    });
  });
  cluster.bus.on('classNotice', (message) => {
    if (cluster.holdsClass(message.classId)) {
      notifier.deliverHere(message.classId, message.notice, message.audience);
    }
  });
}

/**
 * Poll deadlines are timers of the node that launched the poll (and of every node started while it was
 * open); a node taking a class over times its open polls too, so a poll whose owner died still closes on time.
 * Closing twice is harmless: only the first close changes the stored poll.
 */
export function armPollsOnAcquire(cluster: ClusterNode, polls: PollService, log: Logger): void {
  cluster.onAcquired((rootClassId) => {
    polls.armOpenOf(rootClassId).catch((error: unknown) => {
      log.warn({ err: error, classId: rootClassId }, 'arming the open polls of a class taken over failed');
    });
  });
}
