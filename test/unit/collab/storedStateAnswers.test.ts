// The per-socket bookkeeping of early answers from a stored state (server/src/collab/storedStateAnswers.ts):
// which frames ask for everything, the bound per socket, one answer per request, and a load that never waits
// long for a client that does not read.
import { MessageType } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { messageYjsSyncStep1, messageYjsSyncStep2 } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { SocketState } from '../../../server/src/collab/context.ts';
import {
  answerBeforeLoad,
  EARLY_ANSWER_DRAIN_MS,
  noteLoaded,
  noteSyncRequest,
  takeSentState,
} from '../../../server/src/collab/storedStateAnswers.ts';

function syncFrame(address: string, step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const emptyStepOne = (address: string) => syncFrame(address, messageYjsSyncStep1, EMPTY_STATE_VECTOR);

function socketState(onSend: (data: Uint8Array, done: () => void) => void = (_d, done) => done()) {
  const sent: Uint8Array[] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    send: (data: Uint8Array, done: () => void) => {
      sent.push(data);
      onSend(data, done);
    },
  } as unknown as WebSocket;
  const state: SocketState = { ws, endpoint: 'collab', authenticatedDocs: 1 };
  return { state, sent };
}

describe('noteSyncRequest', () => {
  it('marks an empty sync step 1 and clears it on a non-empty one; other frames change nothing', () => {
    const { state } = socketState();
    noteSyncRequest(state, emptyStepOne('c/code/main'));
    expect([...(state.storedStates?.requested ?? [])]).toEqual(['c/code/main']);
    noteSyncRequest(state, syncFrame('c/code/main', messageYjsSyncStep2, new Uint8Array([0, 0])));
    noteSyncRequest(state, new Uint8Array([200, 1])); // does not decode
    expect([...(state.storedStates?.requested ?? [])]).toEqual(['c/code/main']);
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    noteSyncRequest(state, syncFrame('c/code/main', messageYjsSyncStep1, Y.encodeStateVector(doc)));
    // Nothing waits any more: the socket keeps no table for it.
    expect(state.storedStates).toBeUndefined();
  });

  it('keeps at most 64 waiting requests per socket', () => {
    const { state } = socketState();
    for (let i = 0; i < 100; i++) noteSyncRequest(state, emptyStepOne(`c/ws/u${i}`));
    expect(state.storedStates?.requested?.size).toBe(64);
  });
});

describe('answerBeforeLoad', () => {
  const stateOf = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  it('answers only a socket that asked, once, with the stored state; the real answer then takes its state vector', async () => {
    const { state, sent } = socketState();
    const stored = stateOf('hello');
    expect(await answerBeforeLoad({ socket: state }, 'c/code/main', stored)).toBe(false);
    noteSyncRequest(state, emptyStepOne('c/code/main'));
    expect(await answerBeforeLoad({ socket: state }, 'c/code/other', stored)).toBe(false);
    expect(await answerBeforeLoad({ socket: state }, 'c/code/main', stored)).toBe(true);
    expect(await answerBeforeLoad({ socket: state }, 'c/code/main', stored)).toBe(false);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual(syncFrame('c/code/main', messageYjsSyncStep2, stored));
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, stored);
    noteLoaded({ socket: state }, 'c/code/main', loaded);
    expect(takeSentState(state, 'c/code/main')).toEqual(Y.encodeStateVector(loaded));
    expect(takeSentState(state, 'c/code/main')).toBeUndefined();
    expect(state.storedStates).toBeUndefined();
  });

  it('forgets a request once the server answers it (a document with nothing stored): the socket keeps no table', () => {
    const { state } = socketState();
    noteSyncRequest(state, emptyStepOne('c/code/new'));
    expect(state.storedStates?.requested?.has('c/code/new')).toBe(true);
    expect(takeSentState(state, 'c/code/new')).toBeUndefined();
    expect(state.storedStates).toBeUndefined();
  });

  it('does not hold the load for a client that does not read', async () => {
    const { state } = socketState(() => {}); // the write never completes
    noteSyncRequest(state, emptyStepOne('c/code/main'));
    const started = performance.now();
    expect(await answerBeforeLoad({ socket: state }, 'c/code/main', stateOf('x'))).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(EARLY_ANSWER_DRAIN_MS - 5);
  });

  it('sends nothing to a closed socket or a load without a socket (a server-side connection)', async () => {
    const { state, sent } = socketState();
    noteSyncRequest(state, emptyStepOne('c/code/main'));
    (state.ws as { readyState: number }).readyState = 3;
    expect(await answerBeforeLoad({ socket: state }, 'c/code/main', stateOf('x'))).toBe(false);
    expect(await answerBeforeLoad({}, 'c/code/main', stateOf('x'))).toBe(false);
    expect(sent).toEqual([]);
  });
});
