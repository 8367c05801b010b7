// Checks what the runner frame posts before the class page believes it: the runner runs students' code, so
// its messages are untrusted data (shapes and sizes checked here; output is only ever rendered as text).
import { MAX_RUN_CHUNK_CHARS, RUN_OUTCOMES, RUN_STREAMS } from '@tandem/shared';
import * as v from 'valibot';
import type { RunnerMessage } from './frameProtocol.ts';

const runId = v.pipe(v.string(), v.maxLength(40));
const positiveInt = v.pipe(v.number(), v.safeInteger(), v.gtValue(0));

const runnerMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('ready'),
    limits: v.object({
      timeLimitMs: positiveInt,
      maxOutputBytes: positiveInt,
      python: v.boolean(),
    }),
  }),
  v.object({ type: v.literal('phase'), runId, phase: v.picklist(['loading', 'running']) }),
  v.object({
    type: v.literal('output'),
    runId,
    stream: v.picklist(RUN_STREAMS),
    text: v.pipe(v.string(), v.maxLength(MAX_RUN_CHUNK_CHARS)),
  }),
  v.object({
    type: v.literal('exit'),
    runId,
    outcome: v.picklist(RUN_OUTCOMES),
    detail: v.nullable(v.pipe(v.string(), v.maxLength(2000))),
    // postMessage data is structured-cloned, not JSON: it can carry Infinity, which is refused.
    durationMs: v.pipe(v.number(), v.finite(), v.minValue(0)),
    truncated: v.boolean(),
  }),
]);

export function parseRunnerMessage(data: unknown): RunnerMessage | null {
  const parsed = v.safeParse(runnerMessageSchema, data);
  return parsed.success ? (parsed.output satisfies RunnerMessage) : null;
}
