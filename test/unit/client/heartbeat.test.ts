// The collab heartbeat: probes a quiet connection, reports a stall when the probe goes unanswered, probes
// again until the connection answers. (That the server answers the probe, a presence renewal, is tested in
// test/integration/collab/presence.test.ts.)
import { describe, expect, it } from 'vitest';
import {
  Heartbeat,
  PROBE_AFTER_SILENCE_MS,
  STALL_AFTER_PROBE_MS,
} from '../../../client/src/collab/heartbeat.ts';

describe('Heartbeat', () => {
  function setup(canProbe = true) {
    let now = 0;
    const probes: number[] = [];
    const stalls: number[] = [];
    const beat = new Heartbeat({
      now: () => now,
      probe: () => {
        if (canProbe) probes.push(now);
        return canProbe;
      },
      onStall: () => stalls.push(now),
    });
    const advance = (ms: number) => {
      for (let t = 0; t < ms; t += 1000) {
        now += 1000;
        beat.check();
      }
    };
    return { beat, probes, stalls, advance, at: () => now };
  }

  it('stays quiet while messages arrive', () => {
    const { beat, probes, advance } = setup();
    for (let i = 0; i < 10; i++) {
      advance(2000);
      beat.heard();
    }
    expect(probes).toEqual([]);
  });

  it('probes after silence and is satisfied by the answer', () => {
    const { beat, probes, stalls, advance } = setup();
    advance(PROBE_AFTER_SILENCE_MS);
    expect(probes).toEqual([PROBE_AFTER_SILENCE_MS]);
    beat.heard();
    advance(STALL_AFTER_PROBE_MS);
    expect(stalls).toEqual([]);
  });

  it('reports one stall when the probe goes unanswered, keeps probing, and recovers when heard', () => {
    const { beat, probes, stalls, advance } = setup();
    advance(PROBE_AFTER_SILENCE_MS + STALL_AFTER_PROBE_MS);
    expect(stalls).toEqual([PROBE_AFTER_SILENCE_MS + STALL_AFTER_PROBE_MS]);
    expect(beat.stalled).toBe(true);
    advance(3 * STALL_AFTER_PROBE_MS);
    expect(stalls).toHaveLength(1);
    expect(probes.length).toBeGreaterThanOrEqual(3);
    beat.heard();
    expect(beat.stalled).toBe(false);
  });

  it('does not report a stall it could not probe for (nothing open yet)', () => {
    const { stalls, advance } = setup(false);
    advance(30_000);
    expect(stalls).toEqual([]);
  });
});
