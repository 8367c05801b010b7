// What applying a client's Yjs update will cost the server, estimated before it is applied, in "operations":
// one operation is about what Yjs spends integrating one new item (~3.5 µs on the reference machine,
// docs/benchmarks.md "the worst event-loop delay"). Pure: reads the document's struct store and the update.
//
// Why not bytes: Yjs keeps each client's structs in one array and splits an item (an Array.splice, moving every
// struct after it) whenever a deletion or an insertion lands inside it. A delete set of one-character ranges
// costs ~100x per byte what a pasted text does, and on a client with many structs each split moves all of
// them: 2,000 ranges held the event loop for 2.6 s on a 200,000-struct client. So the estimate counts
//   - every new struct (1), and every split its origin or right origin causes in existing content;
//   - every delete range (0.2) and struct it covers (0.2 each), every split at its ends, and every merge with
//     an already deleted neighbour (Yjs merges deleted neighbours with another splice);
// where each split or merge costs 1 plus the structs it moves, MOVES_PER_OPERATION to an operation.
import * as Y from 'yjs';

/** Array slots moved by a splice that cost about one operation (~2-3 ns each, measured). */
export const MOVES_PER_OPERATION = 1000;
const RANGE_OPERATIONS = 0.2;
const COVERED_STRUCT_OPERATIONS = 0.2;

type Struct = Y.Item | Y.GC | Y.Skip;
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/**
 * The estimated operations of applying an update whose new structs per client are `fresh` (in clock order,
 * only what the document lacks) and whose delete set is `ds`, to `doc` as it is now.
 */
export function updateOperations(doc: Y.Doc, fresh: Map<number, Struct[]>, ds: DeleteSet): number {
  const views = new Map<number, ClientStructs>();
  const view = (client: number) => {
    let v = views.get(client);
    if (!v) {
      v = new ClientStructs(doc.store.clients.get(client) ?? [], fresh.get(client) ?? []);
      views.set(client, v);
    }
    return v;
  };
  let operations = 0;
  for (const list of fresh.values()) {
    for (const struct of list) {
      operations += 1;
      if (!(struct instanceof Y.Item)) continue;
      const { origin, rightOrigin } = struct;
      // Integration splits the struct holding the origin after it, and the one holding the right origin before it.
      if (origin) operations += view(origin.client).splitCost(origin.clock + 1);
      if (rightOrigin) operations += view(rightOrigin.client).splitCost(rightOrigin.clock);
    }
  }
  for (const [client, ranges] of ds.clients) {
    const structs = view(client);
    for (const { clock, len } of ranges) {
      if (len <= 0) continue;
      operations += RANGE_OPERATIONS + structs.deleteCost(clock, clock + len);
    }
  }
  return operations;
}

/**
 * One client's structs as Yjs will hold them once the update's new structs are appended: the document's array
 * followed by the update's (both sorted by clock, contiguous). Answers what a split or a deletion there costs.
 */
class ClientStructs {
  private readonly length: number;

  constructor(
    private readonly existing: readonly (Y.Item | Y.GC)[],
    private readonly added: readonly Struct[],
  ) {
    this.length = existing.length + added.length;
  }

  /** Cost of making `clock` the start of a struct: 0 when it already is one (or is outside what is known). */
  splitCost(clock: number): number {
    const at = this.find(clock);
    if (at === null) return 0;
    const struct = this.at(at);
    return struct.id.clock === clock ? 0 : this.moveCost(at);
  }

  /** Cost of deleting clocks [start, end): the structs covered, splits at both ends, merges with neighbours. */
  deleteCost(start: number, end: number): number {
    const first = this.find(start);
    if (first === null) return 0;
    const last = this.find(end - 1) ?? this.length - 1;
    let cost = (last - first + 1) * COVERED_STRUCT_OPERATIONS;
    const head = this.at(first);
    if (head.id.clock < start && !head.deleted) cost += this.moveCost(first);
    else if (first > 0 && this.mergeable(first - 1)) cost += this.moveCost(first);
    const tail = this.at(last);
    if (tail.id.clock + tail.length > end && !tail.deleted) cost += this.moveCost(last);
    else if (last + 1 < this.length && this.mergeable(last + 1)) cost += this.moveCost(last + 1);
    return cost;
  }

  /** Whether the struct at `index` is deleted already, so a deleted neighbour may merge with it. */
  private mergeable(index: number): boolean {
    return this.at(index).deleted;
  }

  /** A splice at `index`: one operation plus the structs after it that move. */
  private moveCost(index: number): number {
    return 1 + (this.length - index) / MOVES_PER_OPERATION;
  }

  private at(index: number): Struct {
    return index < this.existing.length ? this.existing[index]! : this.added[index - this.existing.length]!;
  }

  /** The index of the struct holding `clock`, or null when no struct does. */
  private find(clock: number): number | null {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.at(mid);
      if (clock < s.id.clock) hi = mid - 1;
      else if (clock >= s.id.clock + s.length) lo = mid + 1;
      else return mid;
    }
    return null;
  }
}
