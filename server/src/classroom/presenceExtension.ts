// Feeds the PresenceTracker from Hocuspocus (every authenticated document connection is a device) and
// enforces a live session's participant limit on arrival: students and observers beyond it are refused
// with 4503; staff, and people already present on another device, always get in.
import type { Connection, Extension, Hocuspocus } from '@hocuspocus/server';
import type { UserIdentity } from '@tandem/shared';
import type { CollabContext } from '../collab/context.ts';
import { AppError } from '../errors.ts';
import { closeConnection } from './connections.ts';
import type { PresenceTracker } from './PresenceTracker.ts';

export type Admission = { ok: true } | { ok: false; reason: string };

export class PresenceExtension implements Extension {
  /** After every other extension: only connections that made it count. */
  priority = 10;
  private readonly tracked = new WeakMap<CollabContext, string>();

  constructor(
    private readonly tracker: PresenceTracker,
    private readonly admit: (classId: string, user: UserIdentity) => Admission,
  ) {}

  async connected({
    connection,
    context,
  }: {
    connection: Connection;
    context: CollabContext;
  }): Promise<void> {
    const { user, doc } = context;
    if (!user || !doc) return;
    const admission = this.admit(doc.classId, user);
    if (!admission.ok) return refuse(connection as Connection<CollabContext>, admission.reason);
    this.tracked.set(context, doc.classId);
    this.tracker.add(doc.classId, { id: user.id, name: user.name, role: user.role });
  }

  async onDisconnect({ context }: { context: CollabContext }): Promise<void> {
    const classId = this.tracked.get(context);
    if (!classId || !context.user) return;
    this.tracked.delete(context);
    this.tracker.remove(classId, context.user.id);
  }
}

function refuse(connection: Connection<CollabContext>, reason: string): void {
  closeConnection(connection, new AppError('unavailable', reason));
}

/** Adds an extension to a running Hocuspocus (hooks are looked up on every call, so it takes effect at once). */
export function attachExtension(hocuspocus: Hocuspocus<CollabContext>, extension: Extension): void {
  hocuspocus.configuration.extensions.push(extension);
}
