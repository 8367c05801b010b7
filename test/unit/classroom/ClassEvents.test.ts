import { describe, expect, it } from 'vitest';
import { ClassEvents } from '../../../server/src/classroom/ClassEvents.ts';
import { createLogger } from '../../../server/src/logger.ts';

const event = { classId: 'c', sessionId: 's', at: 1, byId: null };

describe('ClassEvents', () => {
  it('delivers to every listener, and one that throws or rejects reaches neither the emitter nor the others', async () => {
    const events = new ClassEvents(createLogger('silent'));
    const seen: string[] = [];
    events.on('sessionStarted', () => {
      throw new Error('boom');
    });
    events.on('sessionStarted', async () => {
      throw new Error('async boom');
    });
    events.on('sessionStarted', (e) => {
      seen.push(e.sessionId);
    });
    expect(() => events.emit('sessionStarted', event)).not.toThrow();
    expect(seen).toEqual(['s']);
    await new Promise((r) => setImmediate(r)); // the rejection is handled, not unhandled
  });

  it('stops delivering after the returned unsubscribe', () => {
    const events = new ClassEvents(createLogger('silent'));
    const seen: number[] = [];
    const off = events.on('sessionStarted', (e) => {
      seen.push(e.at);
    });
    events.emit('sessionStarted', event);
    off();
    events.emit('sessionStarted', { ...event, at: 2 });
    expect(seen).toEqual([1]);
  });
});
