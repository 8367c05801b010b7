import { describe, expect, it } from 'vitest';
import { binaryFrame } from '../../server/src/collab/frameCache.ts';

/** Reads one unmasked server frame (RFC 6455 section 5.2): FIN + opcode, payload length, payload. */
function parse(frame: Buffer) {
  const first = frame[0]!;
  let length = frame[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    at = 4;
  } else if (length === 127) {
    length = Number(frame.readBigUInt64BE(2));
    at = 10;
  }
  return {
    fin: (first & 0x80) !== 0,
    opcode: first & 0x0f,
    masked: (frame[1]! & 0x80) !== 0,
    payload: frame.subarray(at),
    length,
  };
}

describe('binaryFrame', () => {
  it.each([0, 5, 125, 126, 65_535, 65_536, 200_000])(
    'frames a %i-byte message as one binary frame',
    (size) => {
      const message = new Uint8Array(size).map((_, i) => i % 251);
      const parsed = parse(binaryFrame(message));
      expect(parsed).toMatchObject({ fin: true, opcode: 2, masked: false, length: size });
      expect(new Uint8Array(parsed.payload)).toEqual(message);
    },
  );

  it('frames a message once for all its peers, and a new message anew', () => {
    const broadcast = new Uint8Array([1, 2, 3]);
    const first = binaryFrame(broadcast);
    expect(binaryFrame(broadcast)).toBe(first);
    const next = new Uint8Array([1, 2, 3]);
    expect(binaryFrame(next)).not.toBe(first);
    // A view into a larger buffer carries only its own bytes.
    const backing = new Uint8Array([9, 9, 4, 5, 9]);
    expect([...parse(binaryFrame(backing.subarray(2, 4))).payload]).toEqual([4, 5]);
  });
});
