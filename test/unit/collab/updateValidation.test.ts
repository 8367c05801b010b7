// The update validator on real Yjs documents: each refusal, and the legitimate updates it must let through.
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type ClientOwners, checkUpdate } from '../../../server/src/collab/updateValidation.ts';

/** A client document with a fixed client id. */
function clientDoc(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

/** What `doc` produces for one change (as a provider sends it). */
function change(doc: Y.Doc, fn: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  fn();
  return Y.encodeStateAsUpdate(doc, before);
}

function owners(map: Record<number, string>): ClientOwners {
  return { ownerOf: (client) => map[client] };
}

const ANA = 1001;
const BOB = 2002;

describe('checkUpdate accepts', () => {
  it("a new client id's first insert, which it claims", () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    const update = change(ana, () => ana.getText('t').insert(0, 'hello'));
    expect(checkUpdate(server, update, 'ana', owners({}))).toMatchObject({
      ok: true,
      claims: [ANA],
      grows: true,
    });
  });

  it('the owner continuing under its client id', () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    Y.applyUpdate(
      server,
      change(ana, () => ana.getText('t').insert(0, 'hello')),
    );
    const next = change(ana, () => ana.getText('t').insert(5, ' world'));
    expect(checkUpdate(server, next, 'ana', owners({ [ANA]: 'ana' }))).toMatchObject({
      ok: true,
      claims: [],
      grows: true,
    });
  });

  it("deleting another user's text (known ranges): ordinary editing, no growth", () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    const bob = clientDoc(BOB);
    const first = change(ana, () => ana.getText('t').insert(0, 'hello'));
    Y.applyUpdate(server, first);
    Y.applyUpdate(bob, first);
    const del = change(bob, () => bob.getText('t').delete(1, 3));
    expect(checkUpdate(server, del, 'bob', owners({ [ANA]: 'ana' }))).toMatchObject({
      ok: true,
      claims: [],
      grows: false,
    });
  });

  it("an offline client's sync step 2 that repeats content the server has, plus its own new content", () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    const bob = clientDoc(BOB);
    const first = change(ana, () => ana.getText('t').insert(0, 'shared '));
    Y.applyUpdate(server, first);
    Y.applyUpdate(bob, first);
    // Bob works offline, then answers an old server state vector: Ana's text again, and his own edits.
    bob.getText('t').insert(7, 'offline');
    bob.getText('t').delete(0, 1);
    const step2 = Y.encodeStateAsUpdate(bob, Y.encodeStateVector(new Y.Doc()));
    expect(checkUpdate(server, step2, 'bob', owners({ [ANA]: 'ana' }))).toMatchObject({
      ok: true,
      claims: [BOB],
      grows: true,
    });
  });

  it("content from a user's earlier session (another client id of theirs) that the new one builds on", () => {
    const server = new Y.Doc();
    const old = clientDoc(3003);
    old.getText('t').insert(0, 'from before');
    const fresh = clientDoc(ANA);
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(old));
    fresh.getText('t').insert(4, '!');
    fresh.getText('t').delete(0, 2);
    const step2 = Y.encodeStateAsUpdate(fresh);
    const verdict = checkUpdate(server, step2, 'ana', owners({ 3003: 'ana' }));
    expect(verdict).toMatchObject({ ok: true, claims: [ANA], grows: true });
  });

  it('merged updates with a skipped range the document already has', () => {
    const ana = clientDoc(ANA);
    const u1 = change(ana, () => ana.getText('t').insert(0, 'aaa'));
    const u2 = change(ana, () => ana.getText('t').insert(3, 'bbb'));
    const u3 = change(ana, () => ana.getText('t').insert(6, 'ccc'));
    const merged = Y.mergeUpdates([u1, u3]);
    expect(Y.decodeUpdate(merged).structs.some((s) => s instanceof Y.Skip)).toBe(true);
    const server = new Y.Doc();
    Y.applyUpdate(server, u1);
    Y.applyUpdate(server, u2);
    expect(checkUpdate(server, merged, 'ana', owners({ [ANA]: 'ana' })).ok).toBe(true);
  });

  it('an empty update, and a delete of content the same update inserts', () => {
    const server = new Y.Doc();
    expect(checkUpdate(server, Y.encodeStateAsUpdate(new Y.Doc()), 'ana', owners({}))).toMatchObject({
      ok: true,
      claims: [],
      grows: false,
    });
    const ana = clientDoc(ANA);
    ana.getText('t').insert(0, 'typo');
    ana.getText('t').delete(0, 4);
    expect(checkUpdate(server, Y.encodeStateAsUpdate(ana), 'ana', owners({})).ok).toBe(true);
  });
});

describe('checkUpdate refuses', () => {
  it('new content under a client id bound to another user (inserts at the victim’s next clock)', () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    Y.applyUpdate(
      server,
      change(ana, () => ana.getText('t').insert(0, 'mine')),
    );
    // Yjs gives a document a new client id when remote content arrives under its own, so set it afterwards.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(server));
    forged.clientID = ANA;
    const attack = change(forged, () => forged.getText('t').insert(4, ' not yours'));
    const verdict = checkUpdate(server, attack, 'mallory', owners({ [ANA]: 'ana' }));
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'foreign_client' } });
  });

  it('a delete set naming clocks of a client the document has not seen yet', () => {
    const server = new Y.Doc();
    const ana = clientDoc(ANA);
    Y.applyUpdate(
      server,
      change(ana, () => ana.getText('t').insert(0, 'ab')),
    );
    // Ana's clocks 0-1 exist; 2..999 are her future edits.
    const attack = encodeDeletesOnly([[ANA, 0, 1000]]);
    const verdict = checkUpdate(server, attack, 'mallory', owners({ [ANA]: 'ana' }));
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'unknown_deletes' } });
    // Known ranges are fine: the same delete up to clock 2 is ordinary editing.
    expect(
      checkUpdate(server, encodeDeletesOnly([[ANA, 0, 2]]), 'mallory', owners({ [ANA]: 'ana' })).ok,
    ).toBe(true);
  });

  it('content that starts after a gap in its client’s clocks', () => {
    const ana = clientDoc(ANA);
    change(ana, () => ana.getText('t').insert(0, 'aaa'));
    const later = change(ana, () => ana.getText('t').insert(3, 'bbb'));
    const verdict = checkUpdate(new Y.Doc(), later, 'ana', owners({ [ANA]: 'ana' }));
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'missing_structs' } });
  });

  it('content that refers to content of another client the document has not seen', () => {
    const ana = clientDoc(ANA);
    const bob = clientDoc(BOB);
    Y.applyUpdate(
      bob,
      change(ana, () => ana.getText('t').insert(0, 'anas')),
    );
    const bobs = change(bob, () => bob.getText('t').insert(2, 'bob'));
    const verdict = checkUpdate(new Y.Doc(), bobs, 'bob', owners({}));
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'missing_structs' } });
  });

  it('an update that does not decode: throws', () => {
    expect(() => checkUpdate(new Y.Doc(), new Uint8Array([1, 200, 3, 7, 7]), 'ana', owners({}))).toThrow();
  });
});

/** An update with no structs and the given delete ranges (Yjs v1: struct groups, then the delete set). */
function encodeDeletesOnly(ranges: [client: number, clock: number, len: number][]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, ranges.length);
  for (const [client, clock, len] of ranges) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, len);
  }
  return encoding.toUint8Array(encoder);
}
