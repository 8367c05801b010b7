// Which process holds a local port, when the system can tell us cheaply: on Linux, the socket's inode from
// /proc/net/{udp,tcp}[6] and then the process whose open files include that socket. Best effort, for an
// error message: undefined on other systems, for another user's process, or when the port is free again.
import fs from 'node:fs';
import path from 'node:path';

export interface PortHolder {
  pid: number;
  /** The command line, shortened (or the process name when the command line cannot be read). */
  command: string;
}

const TCP_LISTEN = '0A';
const MAX_COMMAND_CHARS = 120;

export function findPortHolder(
  protocol: 'udp' | 'tcp',
  port: number,
  procRoot = '/proc',
): PortHolder | undefined {
  const inodes = socketInodes(protocol, port, procRoot);
  if (inodes.size === 0) return undefined;
  for (const pid of readDir(procRoot).filter((name) => /^\d+$/.test(name))) {
    const fdDir = path.join(procRoot, pid, 'fd');
    for (const fd of readDir(fdDir)) {
      const target = readLink(path.join(fdDir, fd));
      const inode = target?.match(/^socket:\[(\d+)\]$/)?.[1];
      if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandOf(procRoot, pid) };
    }
  }
  return undefined;
}

/** Inodes of the sockets bound to `port` (for TCP, listening on it), IPv4 and IPv6. */
function socketInodes(protocol: 'udp' | 'tcp', port: number, procRoot: string): Set<string> {
  const inodes = new Set<string>();
  for (const table of [protocol, `${protocol}6`]) {
    const text = readText(path.join(procRoot, 'net', table));
    for (const line of text?.split('\n').slice(1) ?? []) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const inode = fields[9];
      if (!local || !inode || inode === '0') continue;
      if (protocol === 'tcp' && fields[3] !== TCP_LISTEN) continue;
      if (Number.parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(inode);
    }
  }
  return inodes;
}

function commandOf(procRoot: string, pid: string): string {
  const cmdline = readText(path.join(procRoot, pid, 'cmdline'))
    ?.split('\0')
    .filter(Boolean)
    .join(' ');
  const command = cmdline || readText(path.join(procRoot, pid, 'comm'))?.trim() || 'unknown';
  return command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS - 1)}…` : command;
}

function readDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
