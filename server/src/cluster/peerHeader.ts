// The header a node adds to a connection it forwards to the class's owner, carrying the client's address:
// `<nodeId>;<address>;<expiresAtMs>;<hmac>` signed with CLUSTER_SECRET, so only a peer can vouch for a client's
// address (a client sending its own header gets it ignored) and a captured header stops working within a minute.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const PEER_HEADER = 'x-tandem-peer';
const VALID_FOR_MS = 60_000;
const MAX_HEADER_LENGTH = 300;

export interface PeerClaim {
  nodeId: string;
  /** The client's address as the forwarding node saw it (after its TRUSTED_PROXIES). */
  address: string;
}

export function signPeerHeader(secret: string, claim: PeerClaim, now = Date.now()): string {
  const body = `${claim.nodeId};${claim.address};${now + VALID_FOR_MS}`;
  return `${body};${mac(secret, body)}`;
}

/** The claim of a valid, unexpired header from a peer; undefined for none, a forged or an expired one. */
export function verifyPeerHeader(
  secret: string,
  req: IncomingMessage,
  now = Date.now(),
): PeerClaim | undefined {
  const value = req.headers[PEER_HEADER];
  if (typeof value !== 'string' || value.length > MAX_HEADER_LENGTH) return undefined;
  const parts = value.split(';');
  if (parts.length !== 4) return undefined;
  const [nodeId = '', address = '', expires = '', signature = ''] = parts;
  const expected = mac(secret, `${nodeId};${address};${expires}`);
  if (signature.length !== expected.length) return undefined;
  if (!crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
  if (!(Number(expires) > now)) return undefined;
  return { nodeId, address };
}

function mac(secret: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(body).digest('base64url');
}
