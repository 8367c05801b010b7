// A run's output shared with the room: what a writer's page sends while its code runs in the browser (start,
// output chunks, exit), carried as collab stateless messages on the code document's connection, and what the
// server relays to everyone else on that document (the same event with `by`, the runner, set by the server).
// Nothing runs on the server: it only checks and relays these events (server/src/run/RunRelay.ts).
import * as v from 'valibot';

export const RUN_LANGUAGES = ['python', 'javascript', 'typescript'] as const;
export type RunLanguage = (typeof RUN_LANGUAGES)[number];

/**
 * Who sees a run's output: everyone on the document ('room'), only the staff on it ('staff': staff running a
 * student's workspace from the wall; only staff may send it) or only the one who ran it ('self', not sent).
 */
export const RUN_AUDIENCES = ['room', 'staff', 'self'] as const;
export type RunAudience = (typeof RUN_AUDIENCES)[number];
/** The audiences a run is relayed to (a 'self' run is never sent). */
export const SHARED_RUN_AUDIENCES = ['room', 'staff'] as const;
export type SharedRunAudience = (typeof SHARED_RUN_AUDIENCES)[number];

export const RUN_STREAMS = ['stdout', 'stderr'] as const;
export type RunStream = (typeof RUN_STREAMS)[number];

/** How a run ended. */
export const RUN_OUTCOMES = ['ok', 'error', 'timeout', 'stopped', 'output_limit', 'crashed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** Characters of output in one relayed chunk; the runner page batches output into chunks up to this. */
export const MAX_RUN_CHUNK_CHARS = 16 * 1024;
/** Largest stateless payload the server reads as a run event (a full chunk, JSON-escaped, fits). */
export const MAX_RUN_MESSAGE_BYTES = 128 * 1024;

const EXTENSION_LANGUAGE: Readonly<Record<string, RunLanguage>> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
};

/** The language a file runs as, from its extension; null when Tandem cannot run it. */
export function runLanguageOf(fileName: string): RunLanguage | null {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return null;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return Object.hasOwn(EXTENSION_LANGUAGE, extension) ? EXTENSION_LANGUAGE[extension]! : null;
}

const runId = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{8,40}$/, 'run ids are 8-40 letters, digits, _ or -'),
);
const nonnegativeInt = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** Events a writer's page sends about its own run. */
export const runEventSchema = v.variant('type', [
  v.object({
    type: v.literal('start'),
    runId,
    fileName: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    language: v.picklist(RUN_LANGUAGES),
    at: nonnegativeInt,
    /** Who the run's events go to; absent means 'room'. The run's later events follow its start. */
    audience: v.optional(v.picklist(SHARED_RUN_AUDIENCES)),
  }),
  v.object({
    type: v.literal('output'),
    runId,
    /** Chunks of one run are numbered from 0; a viewer ignores one it already has. */
    seq: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(1_000_000)),
    stream: v.picklist(RUN_STREAMS),
    text: v.pipe(v.string(), v.maxLength(MAX_RUN_CHUNK_CHARS)),
  }),
  v.object({
    type: v.literal('exit'),
    runId,
    outcome: v.picklist(RUN_OUTCOMES),
    /** What the runner says about the end (an error's last line, the limit that was hit). */
    detail: v.nullable(v.pipe(v.string(), v.maxLength(500))),
    durationMs: nonnegativeInt,
    truncated: v.boolean(),
  }),
]);
export type RunEvent = v.InferOutput<typeof runEventSchema>;

const runner = v.object({ id: v.string(), name: v.string() });

/** What the server sends: a relayed event with who ran it, or the refusal of one of our own events. */
export const runRelaySchema = v.variant('kind', [
  v.object({ kind: v.literal('event'), event: runEventSchema, by: runner }),
  v.object({
    kind: v.literal('refused'),
    runId: v.nullable(v.string()),
    code: v.picklist(['bad_request', 'forbidden', 'too_large', 'rate_limited']),
    reason: v.string(),
  }),
]);
export type RunRelay = v.InferOutput<typeof runRelaySchema>;

/** Stateless payloads of the run relay are JSON objects with this one key (class notices use `tandem`). */
export const RUN_PAYLOAD_KEY = 'tandemRun';

export function encodeRunPayload(message: RunEvent | RunRelay): string {
  return JSON.stringify({ [RUN_PAYLOAD_KEY]: message });
}

/** The value under RUN_PAYLOAD_KEY, unchecked; undefined when the payload is not a run message at all. */
export function runPayloadOf(payload: string): unknown {
  if (!payload.startsWith(`{"${RUN_PAYLOAD_KEY}":`)) return undefined;
  try {
    return (JSON.parse(payload) as Record<string, unknown>)[RUN_PAYLOAD_KEY];
  } catch {
    return undefined;
  }
}

/** A relayed event or refusal from the server, or null for anything else. */
export function decodeRunRelay(payload: string): RunRelay | null {
  const value = runPayloadOf(payload);
  if (value === undefined) return null;
  const parsed = v.safeParse(runRelaySchema, value);
  return parsed.success ? parsed.output : null;
}
