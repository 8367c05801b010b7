// The small building blocks of the media module: rate limiter, keyed queue, typed emitter, listen plan.
import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../server/src/media/KeyedQueue.ts';
import { planListenInfos } from '../../../server/src/media/listenInfos.ts';
import { SignalRateLimiter } from '../../../server/src/media/SignalRateLimiter.ts';
import { TypedEmitter } from '../../../server/src/media/TypedEmitter.ts';

describe('SignalRateLimiter', () => {
  it('allows the burst, refuses the excess, and disconnects a client that keeps going', () => {
    const now = 0;
    const limiter = new SignalRateLimiter({ ratePerSec: 10, burst: 5, maxStrikes: 3 }, () => now);
    expect(Array.from({ length: 5 }, () => limiter.check())).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(Array.from({ length: 4 }, () => limiter.check())).toEqual([
      'limited',
      'limited',
      'limited',
      'disconnect',
    ]);
  });

  it('forgives strikes once the client slows down', () => {
    let now = 0;
    const limiter = new SignalRateLimiter({ ratePerSec: 10, burst: 1, maxStrikes: 2 }, () => now);
    expect([limiter.check(), limiter.check(), limiter.check()]).toEqual(['ok', 'limited', 'limited']);
    now += 100;
    expect(limiter.check()).toBe('ok');
    expect([limiter.check(), limiter.check()]).toEqual(['limited', 'limited']);
  });
});

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in order, even when one fails', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('k', task('a')),
      queue.run('k', task('b', true)),
      queue.run('k', task('c')),
    ]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(queue.pendingKeys).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let release: () => void = () => {};
    const blocked = queue.run('a', () => new Promise<void>((r) => (release = r)));
    await queue.run('b', () => log.push('b ran while a waits'));
    release();
    await blocked;
    expect(log).toEqual(['b ran while a waits']);
  });
});

describe('TypedEmitter', () => {
  class Emitter extends TypedEmitter<{ tick: [number] }> {
    fire(n: number) {
      this.emit('tick', n);
    }
  }

  it('keeps calling listeners after one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter((_event, error) => errors.push(error));
    const seen: number[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (n) => seen.push(n));
    emitter.once('tick', (n) => seen.push(n * 10));
    emitter.fire(1);
    emitter.fire(2);
    expect(seen).toEqual([1, 10, 2]);
    expect(errors).toHaveLength(2);
  });
});

describe('planListenInfos', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: '10.0.0.5', family: 'IPv4', internal: false },
    ],
  } as unknown as Parameters<typeof planListenInfos>[2];

  it('listens on UDP and TCP on RTC_PORT + worker index, announcing the configured address', () => {
    const plan = planListenInfos(
      { listenIp: '0.0.0.0', rtcPort: 40000, announcedAddress: 'media.example.org' },
      2,
      interfaces,
    );
    expect(plan).toEqual({
      listenInfos: [
        { protocol: 'udp', ip: '0.0.0.0', announcedAddress: 'media.example.org', port: 40002 },
        { protocol: 'tcp', ip: '0.0.0.0', announcedAddress: 'media.example.org', port: 40002 },
      ],
    });
  });

  it('guesses an address to announce when listening on all interfaces without one', () => {
    const plan = planListenInfos(
      { listenIp: '0.0.0.0', rtcPort: 0, announcedAddress: undefined },
      0,
      interfaces,
    );
    expect(plan.guessedAddress).toBe('10.0.0.5');
    expect(plan.listenInfos[0]).toEqual({ protocol: 'udp', ip: '0.0.0.0', announcedAddress: '10.0.0.5' });
  });

  it('announces nothing extra for a concrete listen address, and lets port 0 pick free ports', () => {
    const plan = planListenInfos(
      { listenIp: '127.0.0.1', rtcPort: 0, announcedAddress: undefined },
      1,
      interfaces,
    );
    expect(plan).toEqual({
      listenInfos: [
        { protocol: 'udp', ip: '127.0.0.1' },
        { protocol: 'tcp', ip: '127.0.0.1' },
      ],
    });
  });
});
