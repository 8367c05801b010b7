// Checks what the runner frame posts before the class page believes it: the runner runs students' code, so
// its messages are untrusted data (shapes and sizes checked here; output is only ever rendered as text).
import { MAX_RUN_CHUNK_CHARS, RUN_OUTCOMES, RUN_STREAMS } from '@tandem/shared';
import { z } from 'zod';
import type { RunnerMessage } from './frameProtocol.ts';

const runId = z.string().max(40);

const runnerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    limits: z.object({
      timeLimitMs: z.number().int().positive(),
      maxOutputBytes: z.number().int().positive(),
      python: z.boolean(),
    }),
  }),
  z.object({ type: z.literal('phase'), runId, phase: z.enum(['loading', 'running']) }),
  z.object({
    type: z.literal('output'),
    runId,
    stream: z.enum(RUN_STREAMS),
    text: z.string().max(MAX_RUN_CHUNK_CHARS),
  }),
  z.object({
    type: z.literal('exit'),
    runId,
    outcome: z.enum(RUN_OUTCOMES),
    detail: z.string().max(2000).nullable(),
    durationMs: z.number().nonnegative(),
    truncated: z.boolean(),
  }),
]);

export function parseRunnerMessage(data: unknown): RunnerMessage | null {
  const parsed = runnerMessageSchema.safeParse(data);
  return parsed.success ? (parsed.data satisfies RunnerMessage) : null;
}
