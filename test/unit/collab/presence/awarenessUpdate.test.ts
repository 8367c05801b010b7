import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  isRemoval,
  parseState,
  readAwarenessUpdate,
  withIdentity,
} from '../../../../server/src/collab/presence/awarenessUpdate.ts';
import { AppError } from '../../../../server/src/errors.ts';

const user = { id: 'ana', name: 'Ana', role: 'student' as const };

function entriesOf(update: Uint8Array) {
  const entries = readAwarenessUpdate(update);
  if (entries instanceof AppError) throw entries;
  return entries;
}

describe('readAwarenessUpdate', () => {
  it('reads what y-protocols writes: ids, clocks, states and removals', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ cursor: { line: 3 } });
    const [entry] = entriesOf(encodeAwarenessUpdate(awareness, [doc.clientID]));
    expect(entry).toMatchObject({ clientId: doc.clientID, clock: awareness.meta.get(doc.clientID)!.clock });
    expect(parseState(entry!)).toEqual({ cursor: { line: 3 } });
    awareness.setLocalState(null);
    const [removal] = entriesOf(encodeAwarenessUpdate(awareness, [doc.clientID]));
    expect(isRemoval(removal!)).toBe(true);
    expect(parseState(removal!)).toBeNull();
    awareness.destroy();
  });

  it('reads thousands of entries without parsing their states', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 5000);
    for (let i = 0; i < 5000; i++) {
      encoding.writeVarUint(e, i);
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, '{{not json');
    }
    expect(entriesOf(encoding.toUint8Array(e))).toHaveLength(5000);
  });

  it.each([
    ['a truncated entry', [2, 1, 1, 2, 0x7b, 0x7d]],
    ['a count larger than the update could hold', [0xff, 0xff, 0xff, 0x7f, 1, 1, 0]],
    ['an empty update', []],
  ])('refuses %s', (_name, bytes) => {
    const result = readAwarenessUpdate(new Uint8Array(bytes));
    expect(result).toBeInstanceOf(AppError);
    expect((result as AppError).code).toBe('bad_request');
    expect((result as AppError).message).toContain('malformed awareness update');
  });
});

describe('parseState', () => {
  const entry = (json: string) => ({ clientId: 7, clock: 1, json: new TextEncoder().encode(json) });
  it.each(['{{{', '[1,2]', '42', '"text"', '\u00ff'])('refuses %j', (json) => {
    expect(parseState(entry(json))).toBeInstanceOf(AppError);
  });
  it('accepts objects and null', () => {
    expect(parseState(entry('{"a":1}'))).toEqual({ a: 1 });
    expect(parseState(entry(' null'))).toBeNull();
  });
});

describe('withIdentity', () => {
  it('sets id, name and role from the token and keeps short presentation strings', () => {
    const state = withIdentity(
      {
        cursor: 1,
        user: { id: 'li', name: 'Li', role: 'instructor', color: '#f00', big: 'x'.repeat(100), n: 3 },
      },
      user,
    );
    expect(state).toEqual({ cursor: 1, user: { id: 'ana', name: 'Ana', role: 'student', color: '#f00' } });
  });
  it('adds a user to a state without one', () => {
    expect(withIdentity({}, user)).toEqual({ user });
  });
});
