// Relays a run's output to the room: a Hocuspocus extension that reads run events (shared/src/run) sent as
// stateless messages on a code document's connection, checks them (size, schema, that the sender may write the
// document, a per-person rate limit) and sends them, with the runner's identity set here, to every other
// connection of that document, or, for a run started with audience 'staff' (staff running a student's
// workspace from the wall; refused from anyone else), to the other staff connections only. Nothing of a run is
// stored: only the ids of a connection's latest staff-only runs, so their output and exit go where the start
// went. Nothing of the run happens on the server.
import type { Connection, Extension, onStatelessPayload } from '@hocuspocus/server';
import {
  encodeRunPayload,
  firstIssue,
  isStaff,
  MAX_RUN_MESSAGE_BYTES,
  type RunEvent,
  type RunRelay,
  runEventSchema,
  runPayloadOf,
} from '@tandem/shared';
import * as v from 'valibot';
import type { CollabContext } from '../collab/context.ts';
import type { Logger } from '../logger.ts';
import { TokenBucket } from '../util/TokenBucket.ts';

export interface RunRelayLimits {
  /** Run events one person may share on one document per second (a run sends ~20 chunks/s), and a burst. */
  eventsPerSec: number;
  eventsBurst: number;
  /** Characters of output per second per person and document, and a burst (one run's whole output fits). */
  charsPerSec: number;
  charsBurst: number;
}

export const DEFAULT_RUN_RELAY_LIMITS: RunRelayLimits = {
  eventsPerSec: 40,
  eventsBurst: 120,
  charsPerSec: 256 * 1024,
  charsBurst: 1024 * 1024,
};

/** People × documents whose budgets are kept; the least recently used go first beyond this. */
const MAX_BUDGETS = 10_000;
/** Staff-only runs remembered per connection (a page runs one at a time); the oldest go first beyond this. */
const MAX_STAFF_RUNS = 16;

type Refusal = Extract<RunRelay, { kind: 'refused' }>;

export interface RunRelayOptions {
  log: Logger;
  /** Each run event's result: `relayed`, or the refusal's code (for /metrics). */
  onResult?: (result: 'relayed' | Refusal['code']) => void;
  limits?: RunRelayLimits;
  now?: () => number;
}

export class RunRelayExtension implements Extension {
  readonly extensionName = 'tandem-run-relay';
  private readonly budgets = new Map<string, { events: TokenBucket; chars: TokenBucket }>();
  /** Per connection, the ids of its latest runs started for staff only. */
  private readonly staffRuns = new WeakMap<Connection, Set<string>>();
  private readonly log: Logger;
  private readonly onResult: NonNullable<RunRelayOptions['onResult']>;
  private readonly limits: RunRelayLimits;
  private readonly now: () => number;

  constructor(options: RunRelayOptions) {
    this.log = options.log;
    this.onResult = options.onResult ?? (() => undefined);
    this.limits = options.limits ?? DEFAULT_RUN_RELAY_LIMITS;
    this.now = options.now ?? Date.now;
  }

  async onStateless({ connection, document, payload }: onStatelessPayload): Promise<void> {
    const value = runPayloadOf(payload);
    if (value === undefined) return;
    const sender = connection as Connection<CollabContext>;
    const { user, doc } = sender.context;
    if (!user || !doc) return;
    const runId = runIdOf(value);
    const refuse = (code: Refusal['code'], reason: string) => {
      this.onResult(code);
      sender.sendStateless(encodeRunPayload({ kind: 'refused', runId, code, reason }));
    };

    if (Buffer.byteLength(payload) > MAX_RUN_MESSAGE_BYTES)
      return refuse('too_large', `a run message is at most ${MAX_RUN_MESSAGE_BYTES} bytes`);
    if (doc.kind !== 'code' && doc.kind !== 'ws')
      return refuse('forbidden', 'runs are shared on code documents only');
    // Read-only connections (observers, students while code is locked) watch runs but cannot share one.
    if (sender.readOnly)
      return refuse('forbidden', 'only people who can edit this code can share a run with the room');
    const parsed = v.safeParse(runEventSchema, value);
    if (!parsed.success) {
      const issue = firstIssue(parsed.issues);
      return refuse('bad_request', `invalid run event: ${issue.path.join('.')} ${issue.message}`.trim());
    }
    const event = parsed.output;
    if (event.type === 'start' && event.audience === 'staff' && !isStaff(user.role))
      return refuse('forbidden', 'only staff can run code for staff only');
    const budget = this.budgetOf(`${document.name}\n${user.id}`);
    const chars = event.type === 'output' ? event.text.length : 0;
    if (!budget.events.take() || (chars > 0 && !budget.chars.take(chars)))
      return refuse('rate_limited', 'run output is arriving too fast to share; slow down');

    const staffOnly = this.isStaffOnly(connection, event);
    const relayed = encodeRunPayload({ kind: 'event', event, by: { id: user.id, name: user.name } });
    this.onResult('relayed');
    let receivers = 0;
    for (const other of document.getConnections() as Connection<CollabContext>[]) {
      if (other === connection) continue;
      if (staffOnly && !(other.context.user && isStaff(other.context.user.role))) continue;
      other.sendStateless(relayed);
      receivers++;
    }
    if (event.type !== 'output')
      this.log.debug(
        { runId: event.runId, type: event.type, doc: document.name, receivers, staffOnly },
        'run relayed',
      );
  }

  /** Whether the event belongs to a staff-only run of this connection (a start says so; it is remembered). */
  private isStaffOnly(connection: Connection, event: RunEvent): boolean {
    let runs = this.staffRuns.get(connection);
    if (event.type !== 'start') return runs?.has(event.runId) ?? false;
    if (event.audience !== 'staff') {
      runs?.delete(event.runId);
      return false;
    }
    if (!runs) {
      runs = new Set();
      this.staffRuns.set(connection, runs);
    }
    runs.add(event.runId);
    if (runs.size > MAX_STAFF_RUNS) runs.delete(runs.values().next().value!);
    return true;
  }

  private budgetOf(key: string): { events: TokenBucket; chars: TokenBucket } {
    let budget = this.budgets.get(key);
    if (budget) this.budgets.delete(key);
    else {
      if (this.budgets.size >= MAX_BUDGETS) this.budgets.delete(this.budgets.keys().next().value!);
      const { eventsPerSec, eventsBurst, charsPerSec, charsBurst } = this.limits;
      budget = {
        events: new TokenBucket(eventsPerSec, eventsBurst, this.now),
        chars: new TokenBucket(charsPerSec, charsBurst, this.now),
      };
    }
    // Re-inserted so the Map's order is least recently used first.
    this.budgets.set(key, budget);
    return budget;
  }
}

function runIdOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const id = (value as { runId?: unknown }).runId;
  return typeof id === 'string' && id.length <= 40 ? id : null;
}
