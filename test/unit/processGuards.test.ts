import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.ts';
import { installProcessGuards } from '../../server/src/processGuards.ts';
import { waitFor } from '../helpers/waitFor.ts';

function harness() {
  const listeners = new Map<string, (error: unknown) => void>();
  const counts: string[] = [];
  const exits: number[] = [];
  let shutdowns = 0;
  installProcessGuards({
    log: createLogger('silent'),
    count: (kind) => counts.push(kind),
    shutdown: async () => {
      shutdowns++;
    },
    exit: (code) => exits.push(code),
    on: (event, listener) => listeners.set(event, listener),
  });
  return {
    emit: (event: string, error: unknown) => listeners.get(event)!(error),
    counts,
    exits,
    shutdowns: () => shutdowns,
  };
}

describe('installProcessGuards', () => {
  it('an unhandled rejection is counted and the process serves on', () => {
    const h = harness();
    h.emit('unhandledRejection', new Error('lost'));
    expect(h.counts).toEqual(['unhandled_rejection']);
    expect(h.exits).toEqual([]);
    expect(h.shutdowns()).toBe(0);
  });

  it('an uncaught exception is counted, documents are flushed, and the process exits 1 (once)', async () => {
    const h = harness();
    h.emit('uncaughtException', new Error('broken'));
    h.emit('uncaughtException', new Error('again'));
    await waitFor(() => h.exits.length > 0);
    expect(h.counts).toEqual(['uncaught_exception', 'uncaught_exception']);
    expect(h.shutdowns()).toBe(1);
    expect(h.exits).toEqual([1]);
  });
});
