import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkFrame } from '../../server/src/collab/frameGuard.ts';
import type { AppError } from '../../server/src/errors.ts';
import { truncateUtf8 } from '../../server/src/errors.ts';
import { TokenBucket } from '../../server/src/util/TokenBucket.ts';

describe('TokenBucket', () => {
  it('allows the burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    expect(Array.from({ length: 6 }, () => bucket.take())).toEqual([true, true, true, true, true, false]);
    now += 100;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000;
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});

describe('checkFrame', () => {
  const build = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    write(e);
    return encoding.toUint8Array(e);
  };
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'hi');
  const update = Y.encodeStateAsUpdate(doc);

  it('accepts well-formed sync, awareness and auth frames', () => {
    const sync = build((e) => {
      encoding.writeVarString(e, 'c/code/k');
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update);
    });
    expect(checkFrame(sync)).toBe('update');
    const step1 = build((e) => {
      encoding.writeVarString(e, 'c/code/k');
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
    });
    expect(checkFrame(step1)).toBe('other');
  });

  it('refuses unknown types, broken updates and truncated frames', () => {
    const unknown = build((e) => {
      encoding.writeVarString(e, 'c/code/k');
      encoding.writeVarUint(e, 6);
    });
    expect((checkFrame(unknown) as AppError).message).toBe('unknown message type 6');
    const broken = build((e) => {
      encoding.writeVarString(e, 'c/code/k');
      encoding.writeVarUint(e, 0);
      encoding.writeVarUint(e, 2);
      encoding.writeVarUint8Array(e, update.subarray(0, update.length - 3));
    });
    expect((checkFrame(broken) as AppError).code).toBe('bad_request');
    expect((checkFrame(new Uint8Array([5])) as AppError).code).toBe('bad_request');
  });
});

describe('truncateUtf8', () => {
  it('never splits a character', () => {
    const text = 'é'.repeat(100);
    const cut = truncateUtf8(text, 123);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
    expect(cut).toBe('é'.repeat(61));
  });
});
