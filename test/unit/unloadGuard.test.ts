import { Hocuspocus } from '@hocuspocus/server';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { UnloadGuardExtension } from '../../server/src/collab/extensions/unloadGuard.ts';
import { waitFor } from '../helpers/waitFor.ts';

const NAME = 'class1/chat/main';

/**
 * A server-side read (DirectConnection) unloads the document on disconnect and leaves a second, stale unload on
 * a timer; a client loads a fresh instance before that timer fires.
 */
async function readThenReload(extensions: object[]) {
  const instance = new Hocuspocus({ quiet: true, unloadImmediately: true, extensions });
  const direct = await instance.openDirectConnection(NAME, {});
  const stale = direct.document!;
  await direct.disconnect();
  expect(stale.isDestroyed).toBe(true);
  const request = { url: '/collab', headers: new Headers() } as unknown as Request;
  const fresh = await instance.createDocument(NAME, request, 'socket', {
    readOnly: false,
    isAuthenticated: true,
  });
  // The stale unload's timer (setTimeout 0) has run once a later timer fires.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { instance, fresh };
}

describe('UnloadGuardExtension', () => {
  it('keeps the fresh instance registered when a stale unload comes after it', async () => {
    const { instance, fresh } = await readThenReload([new UnloadGuardExtension(pino({ level: 'silent' }))]);
    expect(instance.documents.get(NAME)).toBe(fresh);
    expect(fresh.isDestroyed).toBe(false);
  });

  it('(without it, Hocuspocus drops the fresh instance: the race this guards against)', async () => {
    const { instance, fresh } = await readThenReload([]);
    await waitFor(() => instance.documents.get(NAME) !== fresh);
    expect(instance.documents.has(NAME)).toBe(false);
  });

  it('still unloads a document whose last connection leaves', async () => {
    const instance = new Hocuspocus({
      quiet: true,
      unloadImmediately: true,
      extensions: [new UnloadGuardExtension(pino({ level: 'silent' }))],
    });
    const direct = await instance.openDirectConnection(NAME, {});
    await direct.disconnect();
    await waitFor(() => !instance.documents.has(NAME));
  });
});
