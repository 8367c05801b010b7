// What the soak benchmark's clients do to the server: one connect/auth/sync/edit/disconnect cycle, or one
// socket that opens many documents at once and then closes. Real HocuspocusProvider clients, over `ws`.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';

const STEP_TIMEOUT_MS = 30_000;

function opened(url: string, onClose: (why: string) => void): HocuspocusProviderWebsocket {
  return new HocuspocusProviderWebsocket({
    url,
    // Node's own WebSocket: closing one that is still connecting is not an error there, as in a browser.
    // A refused or dropped client is a failed run, not something to paper over by reconnecting.
    maxAttempts: 1,
    onClose: ({ event }) => onClose(`closed ${event.code} ${event.reason}`),
  });
}

function attach(
  socket: HocuspocusProviderWebsocket,
  name: string,
  token: string,
  fail: (why: string) => void,
) {
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    token,
    onAuthenticationFailed: ({ reason }) => fail(`${name}: authentication failed: ${reason}`),
  });
  // A provider given a shared websocket does not attach itself.
  provider.attach();
  return { doc, provider };
}

/** Resolves when `ready()` holds; rejects with the failure reason or after the timeout. */
function until(ready: () => boolean, failure: () => string | undefined, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const check = () => {
      const why = failure();
      if (why) return reject(new Error(`${what}: ${why}`));
      if (ready()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`${what}: timed out`));
      setTimeout(check, 2);
    };
    check();
  });
}

export interface CycleTarget {
  /** `ws://127.0.0.1:<port>/collab` */
  url: string;
  documentName: string;
  token: string;
  user: { name: string; color: string };
  /** Characters typed while connected (each one update). */
  edits: number;
}

/** Connect, authenticate, sync, set awareness, type, wait for the acknowledgements, disconnect. */
export async function runCycle(target: CycleTarget): Promise<void> {
  let failed: string | undefined;
  const socket = opened(target.url, (why) => {
    failed ??= why;
  });
  const { doc, provider } = attach(socket, target.documentName, target.token, (why) => {
    failed ??= why;
  });
  try {
    provider.setAwarenessField('user', target.user);
    await until(
      () => provider.isSynced,
      () => failed,
      `${target.documentName} sync`,
    );
    const text = doc.getText('soak');
    for (let i = 0; i < target.edits; i++) text.insert(text.length, 'x');
    await until(
      () => provider.unsyncedChanges === 0,
      () => failed,
      `${target.documentName} saved`,
    );
  } finally {
    // destroy() closes the WebSocket; the runner waits for the server to see every close (its /metrics).
    provider.destroy();
    socket.destroy();
    doc.destroy();
  }
}

/** Documents opened at once: Hocuspocus closes a socket with more than 100 documents waiting for authentication. */
const WAVE = 50;

export interface OpenDocuments {
  close(): void;
}

/** One socket opens every document in `names` (in waves of WAVE) and keeps them until `close()`. */
export async function openOnOneSocket(url: string, names: string[], token: string): Promise<OpenDocuments> {
  let failed: string | undefined;
  const socket = opened(url, (why) => {
    failed ??= why;
  });
  const clients: ReturnType<typeof attach>[] = [];
  const close = () => {
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
    socket.destroy();
  };
  try {
    for (let i = 0; i < names.length; i += WAVE) {
      const wave = names
        .slice(i, i + WAVE)
        .map((name) => attach(socket, name, token, (why) => (failed ??= why)));
      clients.push(...wave);
      const what = `documents ${i}-${i + wave.length} on one socket`;
      await until(
        () => wave.every((c) => c.provider.isSynced),
        () => failed,
        what,
      );
    }
  } catch (error) {
    close();
    throw error;
  }
  return { close };
}
