// Local UDP ports for recorder processes: a free even RTP port whose next port (ffmpeg's RTCP) is free too,
// never handed out twice while in use, and a way to see that a process has bound one (Linux /proc/net/udp*).
import dgram from 'node:dgram';
import fs from 'node:fs/promises';

const inUse = new Set<number>();
const MAX_TRIES = 20;

function bind(port: number, ip: string): Promise<dgram.Socket | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind(port, ip, () => resolve(socket));
  });
}

export interface PortPair {
  rtpPort: number;
  release(): void;
}

/** An even port `p` with `p` and `p + 1` free on `ip` right now; release it when the recorder is gone. */
export async function allocatePortPair(ip: string): Promise<PortPair> {
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const probe = await bind(0, ip);
    if (!probe) break;
    const port = probe.address().port & ~1;
    probe.close();
    if (port < 1024 || inUse.has(port)) continue;
    const [rtp, rtcp] = await Promise.all([bind(port, ip), bind(port + 1, ip)]);
    rtp?.close();
    rtcp?.close();
    if (!rtp || !rtcp) continue;
    inUse.add(port);
    let released = false;
    return {
      rtpPort: port,
      release: () => {
        if (released) return;
        released = true;
        inUse.delete(port);
      },
    };
  }
  throw new Error(`no free UDP port pair on ${ip} for a recorder`);
}

/** Whether some socket on this machine is bound to local UDP `port` (IPv4 or IPv6). */
export async function isUdpPortBound(port: number): Promise<boolean> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await fs.readFile(table, 'utf8').catch(() => '');
    // Each row: "sl local_address rem_address ..."; the local address is the second column.
    for (const line of text.split('\n')) {
      const local = line.trim().split(/\s+/)[1];
      if (local && `${local} `.endsWith(hex)) return true;
    }
  }
  return false;
}

/**
 * Tells an RTP receiver its stream has ended: an RTCP receiver report (empty) and BYE in one compound packet,
 * sent to its RTP port (rtcp-mux). ffmpeg's RTP reader ends its input on a BYE and finishes the file, which it
 * would not do on SIGINT while no packet arrives (it waits in its read). 16 bytes: ffmpeg ignores packets
 * shorter than an RTP header (12).
 */
export async function sendRtcpBye(ip: string, port: number, ssrc = 0x7a6e6400): Promise<void> {
  const packet = Buffer.alloc(16);
  packet.writeUInt32BE(0x80c90001, 0); // V=2, RC=0, PT=201 (RR), length 1
  packet.writeUInt32BE(ssrc, 4);
  packet.writeUInt32BE(0x81cb0001, 8); // V=2, SC=1, PT=203 (BYE), length 1
  packet.writeUInt32BE(ssrc, 12);
  const socket = dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.send(packet, port, ip, () => resolve()));
  socket.close();
}
