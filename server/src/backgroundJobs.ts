// Where background jobs ask whether they run here: on a single node always; in a cluster only on the node
// holding the "jobs" lease (cluster/JobsLease.ts), for the jobs that must not run on several nodes at once
// (recovering recordings a dead node left `recording`, recording retention). Jobs that are safe on every node
// (the webhook outbox, whose rows are claimed with FOR UPDATE SKIP LOCKED) do not ask.
export interface BackgroundJobs {
  /** Whether this process is one node of several (then jobs also run periodically, not only at start). */
  readonly clustered: boolean;
  /** How often a clustered job looks for work left by a node that died (one lease TTL). */
  readonly periodMs: number;
  /** Whether the cluster-wide jobs run on this node now. */
  runHere(): boolean;
  /** Whether a live node (this one included) serves the class now: its work in progress is not a leftover. */
  classIsLive(classId: string): Promise<boolean>;
  /** Called each time this node starts running the jobs. */
  onRunHere(listener: () => void): void;
}

/** A single node: it runs every job, and at start nothing of any class is live yet. */
export const SINGLE_NODE_JOBS: BackgroundJobs = {
  clustered: false,
  periodMs: 0,
  runHere: () => true,
  classIsLive: () => Promise.resolve(false),
  onRunHere: () => {},
};
