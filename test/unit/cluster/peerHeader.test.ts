// The signed peer header: only a node with the cluster secret can vouch for a client's address, and only
// for a minute.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PEER_HEADER, signPeerHeader, verifyPeerHeader } from '../../../server/src/cluster/peerHeader.ts';

const SECRET = 'cluster-secret-cluster-secret-0123456789';
const req = (value: string | string[] | undefined) =>
  ({ headers: { [PEER_HEADER]: value } }) as unknown as IncomingMessage;

describe('peer header', () => {
  const now = 1_800_000_000_000;
  const header = signPeerHeader(SECRET, { nodeId: 'n1', address: '203.0.113.9' }, now);

  it('a header signed with the secret is believed within its minute', () => {
    expect(verifyPeerHeader(SECRET, req(header), now)).toEqual({ nodeId: 'n1', address: '203.0.113.9' });
    expect(verifyPeerHeader(SECRET, req(header), now + 59_000)).toBeDefined();
  });

  it.each([
    ['no header', undefined],
    ['an expired one', header, now + 61_000],
    ['another secret', signPeerHeader('x'.repeat(40), { nodeId: 'n1', address: '203.0.113.9' }, now)],
    ['a changed address', header.replace('203.0.113.9', '198.51.100.1')],
    ['a changed expiry', header.replace(/;(\d+);/, (_, t) => `;${Number(t) + 1e9};`)],
    ['a cut signature', header.slice(0, -4)],
    ['extra fields', `x;${header}`],
    ['several headers', [header, header]],
    ['a huge one', 'a'.repeat(5000)],
  ])('refuses %s', (_, value, at = now) => {
    expect(verifyPeerHeader(SECRET, req(value as string | undefined), at as number)).toBeUndefined();
  });
});
