import { OutgoingMessage } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import { isAck } from '../../../server/src/collab/durableAcks.ts';

describe('isAck', () => {
  it('recognises SyncStatus messages, whatever the document address', () => {
    expect(isAck(new OutgoingMessage('c1/code/main').writeSyncStatus(true).toUint8Array())).toBe(true);
    expect(isAck(new OutgoingMessage('c1/ws/ä').writeSyncStatus(false).toUint8Array())).toBe(true);
  });

  it('lets every other message through: sync, awareness, stateless, garbage, text', () => {
    const msg = (fn: (m: OutgoingMessage) => OutgoingMessage) =>
      fn(new OutgoingMessage('c1/code/main')).toUint8Array();
    expect(isAck(msg((m) => m.writeStateless('{}')))).toBe(false);
    expect(isAck(msg((m) => m.writeQueryAwareness()))).toBe(false);
    expect(isAck(msg((m) => m.createSyncMessage()))).toBe(false);
    expect(isAck(new Uint8Array([0xff, 0xff]))).toBe(false);
    expect(isAck('text')).toBe(false);
  });
});
