import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddress, limitKey } from '../../../server/src/net/clientAddress.ts';

const req = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('createClientAddress', () => {
  it('without trusted proxies, the peer is the client and X-Forwarded-For is ignored', () => {
    const of = createClientAddress([]);
    expect(of(req('198.51.100.4', '203.0.113.1'))).toBe('198.51.100.4');
    expect(of(req('::ffff:198.51.100.4'))).toBe('198.51.100.4');
  });

  it('believes X-Forwarded-For only from a trusted peer, right to left', () => {
    const of = createClientAddress(['10.0.0.0/8', '::1']);
    expect(of(req('10.1.2.3', '203.0.113.1'))).toBe('203.0.113.1');
    expect(of(req('::ffff:10.1.2.3', '203.0.113.1'))).toBe('203.0.113.1');
    expect(of(req('::1', '203.0.113.1'))).toBe('203.0.113.1');
    // A forged left-most entry does not win over the address the trusted proxy saw.
    expect(of(req('10.1.2.3', '1.2.3.4, 203.0.113.1'))).toBe('203.0.113.1');
    // Several trusted hops are walked through.
    expect(of(req('10.1.2.3', '203.0.113.1, 10.9.9.9'))).toBe('203.0.113.1');
    expect(of(req('198.51.100.4', '203.0.113.1'))).toBe('198.51.100.4');
  });

  it('a garbage hop stops the walk at the last address vouched for', () => {
    const of = createClientAddress(['10.0.0.0/8']);
    expect(of(req('10.1.2.3', 'not-an-ip'))).toBe('10.1.2.3');
    expect(of(req('10.1.2.3', '203.0.113.1:4444'))).toBe('10.1.2.3');
    expect(of(req('10.1.2.3'))).toBe('10.1.2.3');
    expect(of(req('10.1.2.3', ''))).toBe('10.1.2.3');
  });
});

describe('limitKey', () => {
  it('keeps IPv4 addresses and groups IPv6 by /64', () => {
    expect(limitKey('203.0.113.1')).toBe('203.0.113.1');
    expect(limitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:0DB8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(limitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('unknown')).toBe('unknown');
  });
});
