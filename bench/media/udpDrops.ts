// Where packets were dropped: the kernel counts, per UDP socket, datagrams it threw away because the socket's
// receive buffer was full (/proc/net/udp, column `drops`). Summed over the sockets of a group of processes
// (the worker, the harness with its viewers, the recorders), it tells whether a loss seen by the viewers
// happened in the SFU or in the process measuring it. Linux only.
import fs from 'node:fs';

/** Inodes of the sockets `pid` has open (none if it exited). */
export function socketInodes(pid: number): number[] {
  const inodes: number[] = [];
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.push(Number(match[1]));
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

/** Inodes of the UDP sockets bound to these local ports. */
export function udpInodesOfPorts(ports: readonly number[]): number[] {
  const wanted = new Set(ports);
  return [...readUdpTable()].filter((row) => wanted.has(row.port)).map((row) => row.inode);
}

/** Drops so far of every UDP socket on the machine, by inode. */
function dropsByInode(): Map<number, number> {
  return new Map([...readUdpTable()].map((row) => [row.inode, row.drops]));
}

function* readUdpTable(): Generator<{ port: number; inode: number; drops: number }> {
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 13) continue;
      const port = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      yield { port, inode: Number(fields[9]), drops: Number(fields[12]) };
    }
  }
}

/** Datagrams dropped at each group of sockets (by inode) between start() and stop(). */
export class UdpDrops {
  #start = new Map<number, number>();

  constructor(private readonly groups: Record<string, () => number[]>) {}

  start(): void {
    this.#start = dropsByInode();
  }

  stop(): Record<string, number> {
    const now = dropsByInode();
    return Object.fromEntries(
      Object.entries(this.groups).map(([name, inodesOf]) => {
        const inodes = new Set(inodesOf());
        let dropped = 0;
        for (const inode of inodes) dropped += (now.get(inode) ?? 0) - (this.#start.get(inode) ?? 0);
        return [name, dropped];
      }),
    );
  }
}
