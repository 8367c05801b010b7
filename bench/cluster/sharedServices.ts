// Finds the processes of the services the nodes share, so their CPU can be charged to the system under test:
// the Redis server, and the PostgreSQL backends serving one node's connections (matched through the kernel's
// socket table: the node's sockets to the database port, and the postgres processes holding the other end).
// Linux only, and only for processes this user may read (the bench runs as the services' owner or root).
import fs from 'node:fs';

interface TcpSocket {
  localPort: number;
  remotePort: number;
  inode: string;
}

/** Socket inodes a process holds open. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {}
  }
  return inodes;
}

function tcpSockets(): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (addr: string) => Number.parseInt(addr.split(':')[1] ?? '0', 16);
      out.push({ localPort: port(f[1]!), remotePort: port(f[2]!), inode: f[9]! });
    }
  }
  return out;
}

/** Processes whose command name is `comm` (e.g. `postgres`, `redis-server`). */
function processesNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

/** The redis-server process listening on `port`, or undefined when it cannot be found (another host, another user). */
export function redisServerPid(port: number): number | undefined {
  const listening = new Set(
    tcpSockets()
      .filter((s) => s.localPort === port && s.remotePort === 0)
      .map((s) => s.inode),
  );
  return processesNamed('redis-server').find((pid) => [...socketInodes(pid)].some((i) => listening.has(i)));
}

/** The PostgreSQL backends (one process per connection) serving the connections `pid` holds to `dbPort`. */
export function pgBackendPids(pid: number, dbPort: number): number[] {
  const sockets = tcpSockets();
  const mine = socketInodes(pid);
  const clientPorts = new Set(
    sockets.filter((s) => s.remotePort === dbPort && mine.has(s.inode)).map((s) => s.localPort),
  );
  const serverEnds = new Set(
    sockets.filter((s) => s.localPort === dbPort && clientPorts.has(s.remotePort)).map((s) => s.inode),
  );
  if (serverEnds.size === 0) return [];
  return processesNamed('postgres').filter((p) => [...socketInodes(p)].some((i) => serverEnds.has(i)));
}
