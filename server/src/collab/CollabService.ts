// The collaboration service: one Hocuspocus instance with Tandem's extensions, its WebSocket endpoints,
// and the in-process API other modules use (server-side edits, versions, live permission changes).
import { type Connection, type Document, type Extension, Hocuspocus } from '@hocuspocus/server';
import type { ClassLocks, UserIdentity } from '@tandem/shared';
import type { CredentialGuard } from '../auth/CredentialGuard.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { Config } from '../config.ts';
import type { Router } from '../http/router.ts';
import type { UpgradeRouter } from '../http/upgrades.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { ConnectionGuard } from '../net/connectionGuard.ts';
import type { Storage } from '../storage/Storage.ts';
import type { DocumentStorage } from '../storage/types/documents.ts';
import type { VersionStorage } from '../storage/types/versions.ts';
import { ClassLockRegistry } from './ClassLocks.ts';
import { type ConnectionEvents, ConnectionEventsExtension } from './connectionEvents.ts';
import type { CollabContext } from './context.ts';
import { DirectUpdatesExtension } from './directUpdates.ts';
import { AuthExtension, type AuthExtensionDeps } from './extensions/auth.ts';
import { DocumentGuidExtension } from './extensions/documentGuid.ts';
import { PersistenceExtension, type PersistenceOptions } from './extensions/persistence.ts';
import { UnloadGuardExtension } from './extensions/unloadGuard.ts';
import { UpdateGateExtension } from './extensions/updateGate.ts';
import { OpenFileEvents } from './presence/openFiles.ts';
import { Presence } from './presence/Presence.ts';
import { SharedFullStates } from './SharedFullStates.ts';
import { SocketRoutesExtension } from './socketRoutes.ts';
import { installCollabSockets } from './sockets.ts';
import { UpdateBudgets } from './UpdateBudgets.ts';
import { UpdateGates } from './UpdateGate.ts';
import { UpdateCallbackThrottle } from './updateCallbacks.ts';

/** Client updates re-arm the store debounce at most this often (see updateCallbacks.ts). */
const UPDATE_CALLBACK_INTERVAL_MS = 250;
/** Awareness client ids one connection may own on one document (a provider uses one). */
const MAX_OWNED_CLIENT_IDS = 4;

export interface CollabDeps {
  config: Readonly<Config>;
  log: Logger;
  metrics: Metrics;
  router: Router;
  upgrades: UpgradeRouter;
  storage: Pick<Storage, 'documents' | 'versions' | 'locks' | 'updateLog' | 'clientIds'>;
  verifier: TokenVerifier;
  /** Back-off on bad tokens per client address, and the handler guard for the sockets. */
  credentials: CredentialGuard;
  guard: ConnectionGuard;
  /** Rejects a person who may not be in their class now (removed by staff); checked on every document. */
  admitUser?: (user: UserIdentity) => Promise<void>;
  /** The main class of a breakout group (a group's token opens its own workspace in the main class). */
  roots?: AuthExtensionDeps['roots'];
  /** Cluster only: whether this node may still write a document (PersistenceExtension's fence). */
  mayWrite?: (documentName: string) => boolean;
  /** More extensions (features built on the connections, e.g. the run relay), after Tandem's own. */
  extensions?: readonly Extension[];
  /** After each logged update, while the document holds exactly the updates up to it (timeline checkpoints). */
  onLogged?: PersistenceOptions['onLogged'];
}

export interface ActingUser {
  id: string;
  name?: string;
}

export interface CollabService {
  hocuspocus: Hocuspocus<CollabContext>;
  store: DocumentStorage;
  versions: VersionStorage;
  locks: ClassLockRegistry;
  /** Document connections established and ended, after every extension has run (presence, attendance). */
  connectionEvents: ConnectionEvents;
  /** Files staff open in code documents, from their presence (presence/openFiles.ts; the class timeline). */
  openFiles: Pick<OpenFileEvents, 'on'>;
  /** Runs `fn` on the live document (loading it if needed) as `user`; the change is logged and broadcast. */
  edit<T>(documentName: string, user: ActingUser, fn: (doc: Document) => T): Promise<T>;
  /** Reads the live document (or loads it) without changing it. */
  read<T>(documentName: string, fn: (doc: Document) => T): Promise<T>;
  /** Open connections of a class (all documents), e.g. to notify or re-check permissions. */
  connectionsOfClass(classId: string): Connection<CollabContext>[];
  /** Whether any document of the class is loaded (or loading) here. */
  hasDocumentsOf(classId: string): boolean;
  /** Sequence number of the last update logged for a loaded document (read it inside read()/edit()). */
  seqOf(documentName: string): number;
  setLocks(classId: string, patch: Partial<ClassLocks>): Promise<ClassLocks>;
  close(): Promise<void>;
}

export function createCollabService(deps: CollabDeps): CollabService {
  const { config, log, metrics, storage } = deps;
  const store = storage.documents;
  const versions = storage.versions;
  const locks = new ClassLockRegistry(storage.locks);
  const auth = new AuthExtension({
    verifier: deps.verifier,
    credentials: deps.credentials,
    locks,
    metrics,
    log,
    maxDocumentsPerSocket: config.limits.maxDocumentsPerSocket,
    admitUser: deps.admitUser,
    roots: deps.roots,
  });
  const gates = new UpdateGates({
    clientIds: storage.clientIds,
    store: storage.updateLog,
    maxDocumentBytes: config.limits.maxDocumentBytes,
    maxUpdateOperations: config.limits.maxUpdateOperations,
    budgets: new UpdateBudgets({
      operationsPerSec: config.limits.userUpdateOperationsPerSec,
      operationsBurst: config.limits.userUpdateOperationsBurst,
      bytesPerSec: config.limits.userUpdateBytesPerSec,
      bytesBurst: config.limits.userUpdateBytesBurst,
    }),
    log: log.child({ mod: 'updates' }),
  });
  // Owns only the documents loaded here (read once Hocuspocus exists; nothing asks before).
  const fullStates = new SharedFullStates(
    (document) => hocuspocus.documents.get(document.name) === document,
    metrics.counts.fullSyncs,
  );
  const persistence = new PersistenceExtension(store, metrics, log, {
    snapshotEveryUpdates: config.storage.snapshotEveryUpdates,
    mayWrite: deps.mayWrite,
    onStoredState: (document, state) => fullStates.seed(document, state),
    onLogged: deps.onLogged,
  });

  const connectionEvents = new ConnectionEventsExtension();
  const openFiles = new OpenFileEvents(log.child({ mod: 'presence' }));
  const presence = new Presence(
    { ...config.presence, maxOwnedClientIds: MAX_OWNED_CLIENT_IDS },
    metrics.counts.presence,
    openFiles,
  );

  const hocuspocus = new Hocuspocus<CollabContext>({
    name: 'tandem',
    quiet: true,
    timeout: 30_000,
    debounce: config.storage.storeDebounceMs,
    maxDebounce: Math.max(config.storage.storeDebounceMs * 5, 1000),
    unloadImmediately: true,
    extensions: [
      new UnloadGuardExtension(log.child({ mod: 'collab' })),
      new DocumentGuidExtension(),
      auth,
      presence.extension(),
      persistence,
      new UpdateGateExtension(gates, {
        metrics,
        log: log.child({ mod: 'updates' }),
        maxMessageBytes: config.limits.maxMessageBytes,
      }),
      new DirectUpdatesExtension(gates),
      new SocketRoutesExtension(),
      new UpdateCallbackThrottle(Math.min(UPDATE_CALLBACK_INTERVAL_MS, config.storage.storeDebounceMs)),
      connectionEvents,
      ...(deps.extensions ?? []),
    ],
  });

  // Throws at startup when the Hocuspocus internals it relies on have changed (libraryInternals.ts).
  const stopSharingFullStates = fullStates.install();

  const sockets = installCollabSockets(deps.upgrades, {
    ...{ config, hocuspocus, metrics, log, presence },
    durability: persistence,
    guard: deps.guard,
  });

  const connectionsOfClass = (classId: string) => {
    const out: Connection<CollabContext>[] = [];
    for (const document of hocuspocus.documents.values()) {
      if (!document.name.startsWith(`${classId}/`)) continue;
      out.push(...(document.getConnections() as Connection<CollabContext>[]));
    }
    return out;
  };

  // A lock change takes effect on open connections at once: no reconnect needed.
  locks.onChange((classId) => {
    for (const connection of connectionsOfClass(classId)) auth.refreshAccess(connection);
  });

  async function withDirect<T>(
    documentName: string,
    user: ActingUser | undefined,
    fn: (doc: Document) => T,
    write: boolean,
  ) {
    // Server-side edits carry the acting user so the update log attributes them.
    const direct = await hocuspocus.openDirectConnection(
      documentName,
      (user ? { user } : {}) as CollabContext,
    );
    try {
      let result!: T;
      if (write) await direct.transact((doc) => (result = fn(doc)));
      else result = fn(direct.document!);
      return result;
    } finally {
      await direct.disconnect();
    }
  }

  let closed = false;
  return {
    hocuspocus,
    store,
    versions,
    locks,
    connectionEvents,
    openFiles,
    edit: (name, user, fn) => withDirect(name, user, fn, true),
    read: (name, fn) => withDirect(name, undefined, fn, false),
    connectionsOfClass,
    hasDocumentsOf: (classId) => {
      const prefix = `${classId}/`;
      for (const name of hocuspocus.documents.keys()) if (name.startsWith(prefix)) return true;
      for (const name of hocuspocus.loadingDocuments.keys()) if (name.startsWith(prefix)) return true;
      return false;
    },
    seqOf: (name) => persistence.seqOf(name),
    setLocks: (classId, patch) => locks.set(classId, patch),
    async close() {
      if (closed) return;
      closed = true;
      sockets.closeAll();
      hocuspocus.flushPendingStores();
      await persistence.snapshotAll(hocuspocus.documents.values());
      await store.flush();
      stopSharingFullStates();
      log.info({ documents: hocuspocus.documents.size }, 'documents flushed');
    },
  };
}
