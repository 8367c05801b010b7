// Decides, before a client's Yjs update touches a document, whether the document may take it. Pure: reads the
// document's struct store and the update, changes nothing.
//
// Yjs applies whatever it is given: content that starts after a gap in its client's history, or that refers to
// content nobody has sent, waits in the document as "pending" until the missing part arrives; deletions of
// content the document has not seen wait as pending deletions and hit whatever later arrives under those ids.
// A writer can use either to destroy other people's future edits, and content under another writer's client id
// at its next clock makes Yjs drop that writer's real edits as duplicates. So an update is refused when
//   - it would leave anything pending (a gap in a client's clocks, a reference to unknown content, a cycle),
//   - it deletes ranges beyond what the document knows once the update's own content is in,
//   - it adds content under a client id bound to another user.
// Content the document already has is ignored as Yjs ignores it (an offline client's sync step 2 overlaps with
// what the server holds), and deleting other people's content is ordinary editing. An accepted update carries
// the estimate of what applying it costs (updateCost.ts), for the caller's limits.
import type { UpdateRefusal } from '@tandem/shared';
import * as Y from 'yjs';
import { updateOperations } from './updateCost.ts';

/** Who writes under each client id of one document. */
export interface ClientOwners {
  /** The user bound to `client`; undefined when nobody is (the first writer claims it). */
  ownerOf(client: number): string | undefined;
}

export type UpdateVerdict =
  | {
      ok: true;
      /** Unbound client ids this update adds content under: bind them to the sender before applying. */
      claims: number[];
      /** The update adds content (false: it only deletes, or repeats what the document has). */
      grows: boolean;
      /** What applying it will cost the server, in operations (updateCost.ts). */
      operations: number;
    }
  | { ok: false; refusal: UpdateRefusal };

type Struct = Y.Item | Y.GC | Y.Skip;

/** The verdict on `update` (Yjs v1 encoding) from `userId` for `doc` as it is now. Throws if it does not decode. */
export function checkUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  userId: string,
  owners: ClientOwners,
): UpdateVerdict {
  const { structs, ds } = Y.decodeUpdate(update);
  const fresh = newStructsByClient(doc, structs);
  if (!(fresh instanceof Map)) return fresh;

  const claims: number[] = [];
  for (const client of fresh.keys()) {
    const owner = owners.ownerOf(client);
    if (owner === undefined) claims.push(client);
    else if (owner !== userId) {
      return refuse('foreign_client', `client id ${client} belongs to another user of this document`);
    }
  }

  const reach = integrate(doc, fresh);
  if (!(reach instanceof Map)) return reach;

  for (const [client, ranges] of ds.clients) {
    const known = reach.get(client) ?? Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (len > 0 && clock + len > known) {
        return refuse(
          'unknown_deletes',
          `deletes clocks ${clock}..${clock + len - 1} of client ${client}, which the document has not seen`,
        );
      }
    }
  }
  return { ok: true, claims, grows: fresh.size > 0, operations: updateOperations(doc, fresh, ds) };
}

/**
 * The structs the document does not have yet, per client, in clock order; a refusal when one starts after a
 * gap (Yjs would keep it and everything after it pending).
 */
function newStructsByClient(doc: Y.Doc, structs: Struct[]): Map<number, Struct[]> | UpdateVerdict {
  const fresh = new Map<number, Struct[]>();
  /** Per client: the next clock the document will know once this update's earlier structs are in. */
  const next = new Map<number, number>();
  for (const struct of structs) {
    // Skips mark a range the update does not carry; what follows must still connect to known content.
    if (struct instanceof Y.Skip) continue;
    const { client, clock } = struct.id;
    const known = next.get(client) ?? Y.getState(doc.store, client);
    const end = clock + struct.length;
    if (end <= known) continue;
    if (clock > known) {
      return refuse(
        'missing_structs',
        `client ${client} content starts at clock ${clock}, but the document knows it only up to ${known}`,
      );
    }
    next.set(client, end);
    const list = fresh.get(client);
    if (list) list.push(struct);
    else fresh.set(client, [struct]);
  }
  return fresh;
}

/**
 * Replays the order in which Yjs can integrate the new structs: a struct goes in once everything it refers to
 * (left and right neighbours at insertion, parent) is known. Returns each client's next clock afterwards, or a
 * refusal when some struct can never go in (it refers to content that is neither in the document nor in the
 * update, or the references form a cycle).
 */
function integrate(doc: Y.Doc, fresh: Map<number, Struct[]>): Map<number, number> | UpdateVerdict {
  if (fresh.size <= 1) return integrateOneClient(doc, fresh);
  const have = new Map<number, number>();
  const known = (client: number) => have.get(client) ?? Y.getState(doc.store, client);
  const queues = [...fresh].map(([client, list]) => ({ client, list, at: 0 }));
  let remaining = queues.reduce((n, q) => n + q.list.length, 0);
  let progress = true;
  while (remaining > 0 && progress) {
    progress = false;
    for (const queue of queues) {
      for (; queue.at < queue.list.length; queue.at++) {
        const struct = queue.list[queue.at]!;
        if (struct instanceof Y.Item && !referencesKnown(struct, known)) break;
        have.set(queue.client, struct.id.clock + struct.length);
        remaining--;
        progress = true;
      }
    }
  }
  if (remaining > 0) {
    const stuck = queues.find((q) => q.at < q.list.length)!;
    return refuse(
      'missing_structs',
      `client ${stuck.client} content refers to content the document has not seen`,
    );
  }
  return have;
}

/** integrate() for the usual update, a few structs of one client: one pass, in clock order. */
function integrateOneClient(doc: Y.Doc, fresh: Map<number, Struct[]>): Map<number, number> | UpdateVerdict {
  const have = new Map<number, number>();
  for (const [client, list] of fresh) {
    let next = Y.getState(doc.store, client);
    const known = (c: number) => (c === client ? next : Y.getState(doc.store, c));
    for (const struct of list) {
      if (struct instanceof Y.Item && !referencesKnown(struct, known)) {
        return refuse(
          'missing_structs',
          `client ${client} content refers to content the document has not seen`,
        );
      }
      next = struct.id.clock + struct.length;
    }
    have.set(client, next);
  }
  return have;
}

function referencesKnown(item: Y.Item, known: (client: number) => number): boolean {
  const { origin, rightOrigin, parent } = item;
  if (origin && origin.clock >= known(origin.client)) return false;
  if (rightOrigin && rightOrigin.clock >= known(rightOrigin.client)) return false;
  // A decoded item's parent is a root type's name (string) or the id of the item holding a nested type.
  if (parent instanceof Y.ID && parent.clock >= known(parent.client)) return false;
  return true;
}

function refuse(code: UpdateRefusal['code'], reason: string): UpdateVerdict {
  return { ok: false, refusal: { code, reason } };
}
