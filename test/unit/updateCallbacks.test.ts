import { type Document, Hocuspocus } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { throttleClientUpdates, UpdateCallbackThrottle } from '../../server/src/collab/updateCallbacks.ts';

const client = { source: 'connection', connection: {} };
const server = { source: 'local' };

describe('throttleClientUpdates', () => {
  it('forwards the first client update of each interval and every other update', () => {
    let clock = 1000;
    const forwarded: unknown[] = [];
    const callback = throttleClientUpdates(
      (_d, origin) => forwarded.push(origin),
      250,
      () => clock,
    );
    const document = { lastChangeTime: 0 } as Document;
    const update = new Uint8Array();

    callback(document, client, update); // forwarded
    clock += 100;
    callback(document, client, update); // skipped, but recorded as a change
    expect(document.lastChangeTime).toBe(1100);
    callback(document, server, update); // server-side edits always go through
    clock += 149;
    callback(document, client, update); // 249 ms after the last forwarded: skipped
    clock += 1;
    callback(document, client, update); // 250 ms: forwarded
    expect(forwarded).toEqual([client, server, client]);
  });
});

describe('UpdateCallbackThrottle in Hocuspocus', () => {
  const instances: Hocuspocus[] = [];
  afterEach(() => {
    for (const i of instances.splice(0)) for (const d of i.documents.values()) d.destroy();
  });

  async function load(extensions: object[], debounce: number) {
    const stored: string[] = [];
    const instance = new Hocuspocus({
      quiet: true,
      debounce,
      maxDebounce: debounce * 5,
      extensions: [
        ...extensions,
        {
          async onStoreDocument({ document }: { document: Document }) {
            stored.push(document.getText('t').toString());
          },
        },
      ],
    });
    instances.push(instance);
    const request = { url: '/', headers: new Headers() } as unknown as Request;
    const document = await instance.createDocument('c/code/k', request, 's', {
      readOnly: false,
      isAuthenticated: true,
    });
    let storeCalls = 0;
    const storeDocumentHooks = instance.storeDocumentHooks.bind(instance);
    instance.storeDocumentHooks = (...args) => {
      storeCalls++;
      return storeDocumentHooks(...args);
    };
    return { document, stored, storeCalls: () => storeCalls };
  }

  function type(document: Document, text: string) {
    const author = new Y.Doc();
    for (const ch of text) {
      const sv = Y.encodeStateVector(author);
      author.getText('t').insert(author.getText('t').length, ch);
      Y.applyUpdate(document, Y.encodeStateAsUpdate(author, sv), client);
    }
  }

  it('re-arms the store once for a burst, and that store still sees the burst’s last update', async () => {
    const { document, stored, storeCalls } = await load([new UpdateCallbackThrottle(250)], 300);
    type(document, 'hello');
    expect(storeCalls()).toBe(1);
    await expect.poll(() => stored, { timeout: 3000 }).toEqual(['hello']);
  });

  it('without it, every update re-arms the store', async () => {
    const { document, storeCalls } = await load([], 300);
    type(document, 'hello');
    expect(storeCalls()).toBe(5);
  });

  it('stays out of the way when an extension uses onChange', async () => {
    const changes: number[] = [];
    const { document } = await load(
      [
        new UpdateCallbackThrottle(250),
        {
          async onChange() {
            changes.push(1);
          },
        },
      ],
      300,
    );
    type(document, 'hello');
    await expect.poll(() => changes.length).toBe(5);
  });
});
