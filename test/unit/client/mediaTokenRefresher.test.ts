// The call's token refresh: what is sent when the server says the token expires, and when.
import { describe, expect, it } from 'vitest';
import { MediaTokenRefresher } from '../../../client/src/video/MediaTokenRefresher.ts';

function setup(initial: string) {
  let current: string | null = initial;
  const sent: string[] = [];
  const failures: unknown[] = [];
  let refuse = false;
  const refresher = new MediaTokenRefresher({
    token: () => current,
    send: async (token) => {
      sent.push(token);
      if (refuse) throw new Error('refused');
    },
    onFailed: (error) => failures.push(error),
  });
  refresher.joinedWith(initial);
  return {
    refresher,
    sent,
    failures,
    setToken(token: string | null) {
      current = token;
      refresher.tokenChanged();
    },
    refuseNext(value: boolean) {
      refuse = value;
    },
  };
}
/** Lets the refresher see the outcome of a send (a rejected promise). */
const flushPromises = () => new Promise((r) => setImmediate(r));

describe('MediaTokenRefresher', () => {
  it('sends the token source’s newer token when the server asks', () => {
    const t = setup('old');
    t.setToken('new');
    expect(t.sent).toEqual([]); // nothing until the server asks
    t.refresher.expiring();
    expect(t.sent).toEqual(['new']);
    t.refresher.expiring();
    expect(t.sent).toEqual(['new']); // never the same token twice
  });

  it('waits for a new token when the source still holds the one in use, then sends it', () => {
    const t = setup('old');
    t.refresher.expiring();
    expect(t.sent).toEqual([]);
    t.setToken(null);
    expect(t.sent).toEqual([]);
    t.setToken('from-host');
    expect(t.sent).toEqual(['from-host']);
    t.setToken('another');
    expect(t.sent).toEqual(['from-host']); // not asked again
  });

  it('reports a refused token and tries the next one', async () => {
    const t = setup('old');
    t.refuseNext(true);
    t.setToken('wrong-user');
    t.refresher.expiring();
    await flushPromises();
    expect(t.failures).toHaveLength(1);
    t.refuseNext(false);
    t.setToken('right-user');
    await flushPromises();
    expect(t.sent).toEqual(['wrong-user', 'right-user']);
    expect(t.failures).toHaveLength(1);
  });

  it('starts over after a rejoin', () => {
    const t = setup('old');
    t.refresher.expiring();
    t.refresher.joinedWith('rejoined');
    t.setToken('newer');
    expect(t.sent).toEqual([]);
  });
});
