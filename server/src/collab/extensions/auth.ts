// Authenticates every document a connection opens: verifies the token, asks the classroom whether the person
// may be in the class at all (a removal), checks the document name and the permission table, marks read-only
// connections, and closes connections whose token expires.
import type { Connection, Extension, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import {
  type Access,
  documentAccess,
  encodeCollabNotice,
  identityFromClaims,
  parseDocumentName,
  type UserIdentity,
} from '@tandem/shared';
import type { CredentialGuard } from '../../auth/CredentialGuard.ts';
import { verifyTokenRefresh } from '../../auth/tokenRefresh.ts';
import type { TokenVerifier } from '../../auth/verifier.ts';
import type { ClassRoots } from '../../classroom/ClassRoots.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { ClassLockRegistry } from '../ClassLocks.ts';
import { closeConnection, closeSocketIfOnlyDocument } from '../closeConnection.ts';
import type { CollabContext } from '../context.ts';

/** setTimeout's limit; longer-lived tokens are re-checked when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Ask the provider for a fresh token this long before the current one expires. */
const REFRESH_BEFORE_EXPIRY_MS = 30_000;

export interface AuthExtensionDeps {
  verifier: TokenVerifier;
  /** Back-off on bad tokens per client address (sockets carry their address in `socket.ticket`). */
  credentials?: CredentialGuard;
  locks: ClassLockRegistry;
  metrics: Metrics;
  log: Logger;
  /** Documents one socket may have open at once (MAX_DOCUMENTS_PER_SOCKET); one more is refused. */
  maxDocumentsPerSocket: number;
  /** Rejects (with an AppError) a person who may not be in their class now: removed by staff. */
  admitUser?: (user: UserIdentity) => Promise<void>;
  /** Breakout groups' main classes: a group's token may open its holder's own workspace in the main class. */
  roots?: Pick<ClassRoots, 'rootOf' | 'resolvedRootOf'>;
}

export class AuthExtension implements Extension {
  priority = 1000;
  private readonly expiryTimers = new WeakMap<Connection, NodeJS.Timeout>();

  constructor(private readonly deps: AuthExtensionDeps) {}

  async onAuthenticate(data: onAuthenticatePayload<CollabContext>): Promise<Partial<CollabContext>> {
    try {
      const parsed = parseDocumentName(data.documentName);
      if (!parsed.ok) throw new AppError('bad_request', parsed.reason);
      const claims = await this.verifierFor(data.context).verify(data.token);
      const user = identityFromClaims(claims);
      await this.deps.admitUser?.(user);
      // accessFor() reads the locks of the user's own class (see there), loaded before the first check.
      await this.deps.locks.load(user.classId);
      // Resolved once per group (ClassRoots remembers groups), read back synchronously by accessFor().
      await this.deps.roots?.rootOf(user.classId);
      const access = this.accessFor(user, parsed.value);
      if (access === 'none') {
        throw new AppError(
          'forbidden',
          user.classId !== parsed.value.classId
            ? 'this token is for another class'
            : `a ${user.role} may not open ${parsed.value.kind} documents of other users`,
        );
      }
      // Each open document holds its connection, hook payloads and (while loaded) the whole document.
      const { maxDocumentsPerSocket } = this.deps;
      if (data.context.socket.authenticatedDocs >= maxDocumentsPerSocket) {
        throw new AppError(
          'rate_limited',
          `one connection may have at most ${maxDocumentsPerSocket} documents open; close one before opening another`,
        );
      }
      // Over the per-user socket cap: refused like a bad token, with 4429.
      data.context.socket?.ticket?.claimUser(`${user.classId}:${user.id}`);
      data.connectionConfig.readOnly = access === 'read';
      const { socket } = data.context;
      socket.authenticatedDocs++;
      // The socket has a document: its deadline to authenticate one is met.
      clearTimeout(socket.authDeadline);
      socket.authDeadline = undefined;
      return { user, doc: parsed.value, exp: claims.exp };
    } catch (error) {
      const appError =
        error instanceof AppError ? error : new AppError('unauthorized', 'authentication failed');
      this.deps.metrics.authFailures.inc({ reason: appError.code });
      this.deps.log.info(
        { doc: data.documentName.slice(0, 200), code: appError.code, reason: appError.message },
        'document refused',
      );
      rejectDocument(data.context, appError);
      // Hocuspocus answers the provider with a permission-denied message carrying this reason.
      throw { reason: `${appError.closeCode} ${appError.message}` };
    }
  }

  async connected({
    connection,
    context,
  }: {
    connection: Connection;
    context: CollabContext;
  }): Promise<void> {
    this.scheduleExpiry(connection, context.exp);
  }

  /**
   * A provider refreshing its token before expiry. The one refresh rule (auth/tokenRefresh.ts): same user,
   * class and role, so the identity and rights the connection was admitted with stay as they are; only the
   * expiry moves. Anything else closes this document's connection with the refusal's close code.
   */
  async onTokenSync(data: onTokenSyncPayload<CollabContext>): Promise<void> {
    const current = data.connection.context.user;
    try {
      if (!current) throw new AppError('unauthorized', 'this connection was never authenticated');
      const verifier = this.verifierFor(data.connection.context);
      const claims = await verifyTokenRefresh(verifier, current, data.token);
      data.connection.context.exp = claims.exp;
      this.scheduleExpiry(data.connection, claims.exp);
    } catch (error) {
      const appError =
        error instanceof AppError ? error : new AppError('unauthorized', 'the new token did not verify');
      this.deps.metrics.authFailures.inc({ reason: 'collab_refresh' });
      this.deps.log.info({ code: appError.code, reason: appError.message }, 'token refresh refused');
      closeSocketIfOnlyDocument(data.connection, appError);
      throw { code: appError.closeCode, reason: appError.closeReason };
    }
  }

  async onDisconnect({ context }: { context: CollabContext }): Promise<void> {
    // Server-side edits (collab.edit as a user) disconnect too, without a socket.
    if (context.user && context.socket)
      context.socket.authenticatedDocs = Math.max(0, context.socket.authenticatedDocs - 1);
  }

  /** Network tokens go through the back-off of the socket's client address. */
  private verifierFor(context: CollabContext): TokenVerifier {
    const address = context.socket?.ticket?.address;
    const { credentials, verifier } = this.deps;
    return credentials && address !== undefined ? credentials.forAddress(address) : verifier;
  }

  /** Recomputes one open connection's access after a lock change and tells the client if it changed. */
  refreshAccess(connection: Connection<CollabContext>): Access {
    const { user, doc } = connection.context;
    if (!user || !doc) return 'none';
    const access = this.accessFor(user, doc);
    const readOnly = access !== 'write';
    if (readOnly !== connection.readOnly) {
      connection.readOnly = readOnly;
      connection.sendStateless(encodeCollabNotice({ type: 'access', access: readOnly ? 'read' : 'write' }));
    }
    return access;
  }

  private accessFor(
    user: NonNullable<CollabContext['user']>,
    doc: NonNullable<CollabContext['doc']>,
  ): Access {
    // The locks of the user's own class: a document of any other class is refused whatever its locks (but for
    // a group's main class: its holder's own workspace, and its code read-only; permissions.ts), and looking
    // up the class a client named would cache one entry per made-up class id (a leak fed by input). The root
    // looked up is the token's class's, never the one a client named.
    return documentAccess(
      {
        userId: user.id,
        role: user.role,
        classId: user.classId,
        rootClassId: this.deps.roots?.resolvedRootOf(user.classId),
      },
      doc,
      this.deps.locks.get(user.classId),
    );
  }

  /** At expiry minus a margin the provider is asked for a new token; at expiry the connection closes. */
  private scheduleExpiry(connection: Connection, exp: number | undefined): void {
    const previous = this.expiryTimers.get(connection);
    if (previous) clearTimeout(previous);
    if (!exp) return;
    const expiresAt = exp * 1000;
    const refreshAt = expiresAt - REFRESH_BEFORE_EXPIRY_MS;
    const now = Date.now();
    const at = now < refreshAt ? refreshAt : expiresAt;
    // The connection goes to the timer as arguments: one function serves every connection's timer.
    const timer = setTimeout(
      this.onExpiryTimer,
      Math.max(0, Math.min(wholeSeconds(at - now), MAX_TIMER_MS)),
      connection,
      exp,
      at,
    );
    // Not unref'd: Node keeps one timer list per distinct duration and drops a list when its last timer is
    // cleared only for ref'd timers; a cleared unref'd one leaves its list until the duration has passed. With a
    // distinct duration per connection that was ~130 bytes per closed connection for up to the token's lifetime
    // (bench:soak, docs/benchmarks.md). The timer is cleared when the connection closes, so it holds nothing up.
    if (!previous) connection.onClose(() => clearTimeout(this.expiryTimers.get(connection)));
    this.expiryTimers.set(connection, timer);
  }

  /** Before expiry (`at` is the refresh time) the provider is asked for a new token; at expiry it is closed. */
  private readonly onExpiryTimer = (connection: Connection, exp: number, at: number): void => {
    const due = Date.now() >= at;
    if (due && at === exp * 1000) {
      this.deps.metrics.authFailures.inc({ reason: 'expired' });
      expireConnection(connection);
      return;
    }
    if (due) connection.requestToken();
    this.scheduleExpiry(connection, exp);
  };
}

/**
 * A delay rounded up to whole seconds. Node keeps one list per distinct timer duration: with the exact
 * milliseconds every connection's timer made a list of its own (~70 bytes each); rounded, connections that
 * authenticated within the same second share one. A token is refreshed or expires at most a second later.
 */
function wholeSeconds(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

/**
 * A refused document closes the whole socket with the matching close code when nothing else on it is
 * authenticated (the usual one-token-per-socket case); otherwise only that document is refused.
 */
function rejectDocument(context: CollabContext, error: AppError): void {
  const { socket } = context;
  if (socket.authenticatedDocs > 0) return;
  // Let Hocuspocus send its permission-denied message first.
  setImmediate(() => socket.ws.close(error.closeCode, error.closeReason));
}

function expireConnection(connection: Connection<CollabContext>): void {
  closeConnection(connection, new AppError('unauthorized', 'token expired'));
}
