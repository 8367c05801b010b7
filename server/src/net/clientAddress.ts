// Who is on the other end of a request: the peer address, or, when the peer is a trusted proxy
// (TRUSTED_PROXIES), the nearest address in X-Forwarded-For that is not itself a trusted proxy.
// Node's net.BlockList does the address/CIDR matching (IPv4, IPv6 and IPv4-mapped IPv6).
import type { IncomingMessage } from 'node:http';
import net from 'node:net';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** How many X-Forwarded-For hops are read at most (a forged header can be long). */
const MAX_FORWARDED_HOPS = 16;
const UNKNOWN = 'unknown';

export function createClientAddress(trustedProxies: readonly string[]): ClientAddressOf {
  if (trustedProxies.length === 0) return (req) => normalize(req.socket.remoteAddress);
  const trusted = new net.BlockList();
  for (const entry of trustedProxies) {
    const [address = '', bits] = entry.split('/');
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (address: string) => net.isIP(address) !== 0 && trusted.check(address, familyOf(address));

  return (req) => {
    let address = normalize(req.socket.remoteAddress);
    if (!isTrusted(address)) return address;
    // Right to left: each trusted proxy vouches for the hop before it; the first untrusted one is the client.
    const hops = forwardedFor(req.headers['x-forwarded-for']);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalize(hops[i]);
      if (net.isIP(hop) === 0) return address;
      address = hop;
      if (!isTrusted(hop)) return hop;
    }
    return address;
  };
}

function forwardedFor(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  return joined
    .split(',')
    .slice(-MAX_FORWARDED_HOPS)
    .map((hop) => hop.trim());
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv6(address) ? 'ipv6' : 'ipv4';
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one client; brackets and zone ids are dropped. */
function normalize(address: string | undefined): string {
  if (!address) return UNKNOWN;
  let a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (a.startsWith('::ffff:') && net.isIPv4(a.slice(7))) a = a.slice(7);
  return a;
}

/**
 * The key limits are counted under: the address itself for IPv4, its /64 network for IPv6 (one host
 * usually holds a whole /64, so counting single IPv6 addresses would give it 2^64 budgets).
 */
export function limitKey(address: string): string {
  if (!net.isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
