// CpuMeter reads /proc: CPU this process burns between start and stop is counted, and a process that is not
// there (gone, or never was) adds nothing instead of failing the run.
import { describe, expect, it } from 'vitest';
import { CpuMeter } from '../../../../bench/cluster/cpuMeter.ts';

/** Spins until this process has used `ms` more CPU time (not wall time: the machine may be busy). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

describe('CpuMeter', () => {
  it('counts the CPU a process used between start and stop', () => {
    const meter = new CpuMeter(() => [process.pid]);
    meter.start();
    burn(300);
    const sec = meter.stop();
    // /proc counts in clock ticks (10 ms): allow two of them either way.
    expect(sec).toBeGreaterThanOrEqual(0.28);
    expect(sec).toBeLessThan(1);
  });

  it('counts nothing for a process that does not exist', () => {
    const meter = new CpuMeter(() => [2 ** 22 + 1]);
    meter.start();
    expect(meter.stop()).toBe(0);
  });
});
