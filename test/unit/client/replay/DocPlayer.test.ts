// The update scheduler: a seek loads `/at` into a fresh doc; playing applies fetched updates one by one as the
// clock passes their times; going back reloads; stale answers are dropped.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPlayer, type DocSource, type TimedUpdate } from '../../../../client/src/replay/DocPlayer.ts';
import { waitFor } from '../../../helpers/waitFor.ts';

/** A document typed one character per second from T0: the log and a source answering from it. */
const T0 = 5_000_000;
function typedLog(text: string) {
  const doc = new Y.Doc();
  const log: TimedUpdate[] = [];
  doc.on('update', (update: Uint8Array) =>
    log.push({ seq: log.length + 1, ts: T0 + log.length * 1000, userId: 'ada', update }),
  );
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  const calls: string[] = [];
  const source: DocSource = {
    async at(t) {
      calls.push(`at ${t - T0}`);
      const upTo = log.filter((u) => u.ts <= t);
      const state = new Y.Doc();
      for (const u of upTo) Y.applyUpdate(state, u.update);
      return { seq: upTo.at(-1)?.seq ?? 0, update: Y.encodeStateAsUpdate(state) };
    },
    async updates(after, until) {
      calls.push(`updates ${after} ${until - T0}`);
      // Pages of three, as the server's `limit` cuts them.
      const all = log.filter((u) => u.seq > after && u.ts <= until);
      return { updates: all.slice(0, 3), more: all.length > 3 };
    },
  };
  return { log, source, calls };
}

const textOf = (p: DocPlayer) => p.doc.getText('t').toString();

describe('DocPlayer', () => {
  it('shows the document as it was at the time sought', async () => {
    const { source } = typedLog('hello world');
    const player = new DocPlayer('c/code/main', source);
    await player.seek(T0 + 4000);
    expect(textOf(player)).toBe('hello');
    expect(player.state).toMatchObject({ seq: 5, time: T0 + 4000, loading: false });
  });

  it('applies updates keystroke by keystroke as the clock passes their times', async () => {
    const { source } = typedLog('abcdefghij');
    const player = new DocPlayer('c/code/main', source);
    await player.seek(T0 + 1500);
    expect(textOf(player)).toBe('ab');
    player.advance(T0 + 1600); // fetches ahead
    await waitFor(() => player.state.time === T0 + 1600);
    const applied: number[] = [];
    player.onApplied((u) => applied.push(u.seq));
    player.advance(T0 + 2000);
    expect(textOf(player)).toBe('abc');
    player.advance(T0 + 2999);
    expect(textOf(player)).toBe('abc');
    player.advance(T0 + 3000);
    expect(textOf(player)).toBe('abcd');
    expect(applied).toEqual([3, 4]);
    expect(player.state.seq).toBe(4);
    // Past the first page of three: the next page is fetched and played in turn.
    player.advance(T0 + 7000);
    await waitFor(() => player.state.time === T0 + 7000);
    expect(textOf(player)).toBe('abcdefgh');
    expect(applied).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('never claims a time it has not fetched the updates for', async () => {
    const { source } = typedLog('abcdefghij');
    let release: () => void = () => {};
    const slow: DocSource = {
      at: source.at,
      updates: (a, u) => new Promise((r) => (release = () => r(source.updates(a, u)))),
    };
    const player = new DocPlayer('c/code/main', slow);
    await player.seek(T0);
    player.advance(T0 + 2500);
    expect(player.state.time).toBe(T0);
    expect(textOf(player)).toBe('a');
    release();
    await waitFor(() => player.state.time === T0 + 2500);
    expect(textOf(player)).toBe('abc');
  });

  it('reloads from /at when going back or jumping far ahead', async () => {
    const { source, calls } = typedLog('abcdefghij');
    const player = new DocPlayer('c/code/main', source);
    await player.seek(T0 + 8000);
    const first = player.doc;
    player.advance(T0 + 3000);
    await waitFor(() => player.state.time === T0 + 3000 && !player.state.loading);
    expect(textOf(player)).toBe('abcd');
    expect(player.doc).not.toBe(first);
    expect(calls).toContain('at 3000');
    player.advance(T0 + 3000 + 60_000);
    await waitFor(() => calls.includes('at 63000'));
  });

  it('drops the answer of a seek overtaken by a newer one', async () => {
    const { source } = typedLog('abcdefghij');
    const pending: (() => void)[] = [];
    const gated: DocSource = {
      at: (t) => new Promise((r) => pending.push(() => r(source.at(t)))),
      updates: source.updates,
    };
    const player = new DocPlayer('c/code/main', gated);
    const older = player.seek(T0 + 9000);
    const newer = player.seek(T0 + 1000);
    // One request at a time: the newer target waits for the older answer, which is dropped.
    expect(pending).toHaveLength(1);
    pending[0]!();
    await waitFor(() => pending.length === 2);
    expect(textOf(player)).toBe('');
    expect(player.state.loading).toBe(true);
    pending[1]!();
    await newer;
    await older;
    expect(textOf(player)).toBe('ab');
    expect(player.state.time).toBe(T0 + 1000);
  });

  it('coalesces a burst of seeks: one request in flight, then only the latest target', async () => {
    const { source, calls } = typedLog('abcdefghij');
    const pending: (() => void)[] = [];
    const gated: DocSource = {
      at: (t) => new Promise((r) => pending.push(() => r(source.at(t)))),
      updates: source.updates,
    };
    const player = new DocPlayer('c/code/main', gated);
    // A dragged slider: 100 targets, the last one T0 + 4000.
    const seeks: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) seeks.push(player.seek(T0 + 9000 - i * 50 - (i === 99 ? 50 : 0)));
    expect(pending).toHaveLength(1);
    pending[0]!();
    await waitFor(() => pending.length === 2);
    pending[1]!();
    await Promise.all(seeks);
    expect(calls.filter((c) => c.startsWith('at '))).toEqual(['at 9000', 'at 4000']);
    expect(player.state).toMatchObject({ time: T0 + 4000, seq: 5, loading: false, error: null });
    expect(textOf(player)).toBe('abcde');
  });

  it('retries a seek refused for the rate once, after the Retry-After, with the latest target', async () => {
    const { source, calls } = typedLog('abcdefghij');
    let refusals = 1;
    const limited: DocSource = {
      at: (t) => {
        if (refusals-- > 0) {
          calls.push(`refused ${t - T0}`);
          return Promise.reject(
            Object.assign(new Error('too many seeks'), { status: 429, retryAfterSec: 2 }),
          );
        }
        return source.at(t);
      },
      updates: source.updates,
    };
    const waits: number[] = [];
    let release: () => void = () => {};
    const player = new DocPlayer('c/code/main', limited, (ms) => {
      waits.push(ms);
      return waits.length === 1 ? new Promise((r) => (release = r)) : Promise.resolve();
    });
    const first = player.seek(T0 + 9000);
    await waitFor(() => waits.length === 1);
    expect(waits).toEqual([2000]);
    // Another seek while waiting: the retry asks for it instead.
    const second = player.seek(T0 + 2000);
    release();
    await Promise.all([first, second]);
    expect(calls.filter((c) => !c.startsWith('updates'))).toEqual(['refused 9000', 'at 2000']);
    expect(textOf(player)).toBe('abc');
    // A second refusal of the same target is reported, not retried again and again.
    refusals = 2;
    await player.seek(T0 + 5000);
    expect(waits).toEqual([2000, 2000]);
    expect(player.state.error).toBe('too many seeks');
    expect(textOf(player)).toBe('abc');
  });

  it('does not seek while an /updates request of the document is in flight', async () => {
    const { source, calls } = typedLog('abcdefghij');
    let release: (() => void) | null = null;
    const slow: DocSource = {
      at: source.at,
      updates: (a, u) => new Promise((r) => (release = () => r(source.updates(a, u)))),
    };
    const player = new DocPlayer('c/code/main', slow);
    await player.seek(T0);
    player.advance(T0 + 500); // fetches ahead
    await waitFor(() => release !== null);
    // Without the gate the request would go out at once (synchronously, within seek()).
    const seek = player.seek(T0 + 6000);
    expect(calls.filter((c) => c.startsWith('at '))).toEqual(['at 0']);
    release!();
    await seek;
    expect(calls.filter((c) => c.startsWith('at '))).toEqual(['at 0', 'at 6000']);
    expect(textOf(player)).toBe('abcdefg');
  });

  it('reports a failed load and leaves the last document in place', async () => {
    const { source } = typedLog('abc');
    let fail = false;
    const flaky: DocSource = {
      at: (t) => (fail ? Promise.reject(new Error('network down')) : source.at(t)),
      updates: source.updates,
    };
    const player = new DocPlayer('c/code/main', flaky);
    await player.seek(T0 + 2000);
    fail = true;
    await player.seek(T0);
    expect(player.state.error).toBe('network down');
    expect(textOf(player)).toBe('abc');
  });
});
