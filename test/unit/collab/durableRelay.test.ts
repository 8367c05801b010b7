import { OutgoingMessage } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import { writeSyncStep1, writeSyncStep2 } from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  type Durability,
  holdUntilDurable,
  MAX_HELD_BYTES,
  waitsFor,
} from '../../../server/src/collab/durableRelay.ts';

/** A durability whose documents' commits the test lands by hand. */
class Commits implements Durability {
  private readonly open = new Map<string, { promise: Promise<void>; land: () => void }>();

  get pending(): boolean {
    return this.open.size > 0;
  }

  whenDurable(documentName: string): Promise<void> | null {
    return this.open.get(documentName)?.promise ?? null;
  }

  start(documentName: string): void {
    let land!: () => void;
    const promise = new Promise<void>((resolve) => {
      land = resolve;
    });
    this.open.set(documentName, { promise, land });
  }

  async land(documentName: string): Promise<void> {
    const commit = this.open.get(documentName);
    this.open.delete(documentName);
    commit?.land();
    // Lets the relay's awaits run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

const update = (address: string) => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x');
  return new OutgoingMessage(address)
    .createSyncMessage()
    .writeUpdate(Y.encodeStateAsUpdate(doc))
    .toUint8Array();
};
const ack = (address: string) => new OutgoingMessage(address).writeSyncStatus(true).toUint8Array();
const stepOne = (address: string) => {
  const message = new OutgoingMessage(address).createSyncMessage();
  writeSyncStep1(message.encoder, new Y.Doc());
  return message.toUint8Array();
};
/** The step 2 Hocuspocus sends in reply to a client's step 1. */
const stepTwoReply = (address: string) => {
  const message = new OutgoingMessage(address).createSyncReplyMessage();
  writeSyncStep2(message.encoder, new Y.Doc());
  return message.toUint8Array();
};
const awareness = (address: string) => new OutgoingMessage(address).writeQueryAwareness().toUint8Array();

function relay(commits: Commits, open = () => true) {
  const sent: Uint8Array[] = [];
  const target = { send: (data: Uint8Array) => void sent.push(data) };
  let held = 0;
  let overflows = 0;
  holdUntilDurable(target, commits, { isOpen: open, onHeld: () => held++, overflow: () => overflows++ });
  return { target, sent, held: () => held, overflows: () => overflows };
}

describe('waitsFor', () => {
  const commits = new Commits();
  commits.start('c1/code/main');

  it('holds acknowledgements and document content of a document with updates in flight', () => {
    expect(waitsFor(ack('c1/code/main'), commits)).toBeInstanceOf(Promise);
    expect(waitsFor(update('c1/code/main'), commits)).toBeInstanceOf(Promise);
    expect(waitsFor(stepTwoReply('c1/code/main'), commits)).toBeInstanceOf(Promise);
  });

  it('lets the rest go: other documents, sync step 1, awareness, stateless, garbage', () => {
    expect(waitsFor(update('c1/code/other'), commits)).toBeNull();
    expect(waitsFor(stepOne('c1/code/main'), commits)).toBeNull();
    expect(waitsFor(awareness('c1/code/main'), commits)).toBeNull();
    expect(
      waitsFor(new OutgoingMessage('c1/code/main').writeStateless('{}').toUint8Array(), commits),
    ).toBeNull();
    expect(waitsFor(new Uint8Array([0xff, 0xff]), commits)).toBeNull();
  });
});

describe('holdUntilDurable', () => {
  it('hands messages on to the next sender when given one, in order, held ones included', async () => {
    const commits = new Commits();
    const sent: Uint8Array[] = [];
    const target = { send: (_data: Uint8Array) => expect.unreachable('the next sender sends') };
    const next = {
      sent,
      send(this: { sent: Uint8Array[] }, data: Uint8Array) {
        this.sent.push(data);
      },
    };
    holdUntilDurable(target, commits, { isOpen: () => true, onHeld() {}, overflow() {} }, next);
    const first = awareness('c1/code/main');
    target.send(first);
    expect(sent).toEqual([first]);
    commits.start('c1/code/main');
    const held = [update('c1/code/main'), ack('c1/code/main')];
    for (const m of held) target.send(m);
    expect(sent).toEqual([first]);
    await commits.land('c1/code/main');
    expect(sent).toEqual([first, ...held]);
  });

  it('sends at once while nothing is in flight', () => {
    const commits = new Commits();
    const { target, sent, held } = relay(commits);
    target.send(update('c1/code/main'));
    target.send(ack('c1/code/main'));
    expect(sent).toHaveLength(2);
    expect(held()).toBe(0);
  });

  it('holds an update until its commit lands, and whatever is sent after it behind it, in order', async () => {
    const commits = new Commits();
    const { target, sent, held } = relay(commits);
    commits.start('c1/code/main');
    const messages = [
      update('c1/code/main'),
      awareness('c1/code/main'),
      update('c1/code/other'),
      ack('c1/code/main'),
    ];
    for (const m of messages) target.send(m);
    expect(sent).toHaveLength(0);
    expect(held()).toBe(2);

    await commits.land('c1/code/main');
    expect(sent).toEqual(messages);
    // Nothing held any more: the next message goes straight out.
    const after = awareness('c1/code/main');
    target.send(after);
    expect(sent.at(-1)).toBe(after);
  });

  it('a message of a committed document waits behind one of a document still committing', async () => {
    const commits = new Commits();
    const { target, sent } = relay(commits);
    commits.start('c1/code/a');
    const a = update('c1/code/a');
    const b = update('c1/code/b');
    target.send(a);
    target.send(b);
    expect(sent).toEqual([]);
    await commits.land('c1/code/a');
    expect(sent).toEqual([a, b]);
  });

  it('drops what is held for a socket that closed meanwhile', async () => {
    const commits = new Commits();
    let open = true;
    const { target, sent } = relay(commits, () => open);
    commits.start('c1/code/main');
    target.send(update('c1/code/main'));
    target.send(awareness('c1/code/main'));
    open = false;
    await commits.land('c1/code/main');
    expect(sent).toEqual([]);
  });

  it('closes a socket that has too much waiting, drops what it held, and serves it again afterwards', async () => {
    const commits = new Commits();
    const { target, sent, overflows } = relay(commits);
    commits.start('c1/code/main');
    const big = update('c1/code/main');
    const fits = Math.floor(MAX_HELD_BYTES / big.byteLength);
    for (let i = 0; i < fits; i++) target.send(big);
    expect(overflows()).toBe(0);
    target.send(big);
    expect(overflows()).toBe(1);

    await commits.land('c1/code/main');
    expect(sent).toEqual([]);
    const later = update('c1/code/main');
    target.send(later);
    expect(sent).toEqual([later]);
  });
});
