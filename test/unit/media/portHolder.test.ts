// findPortHolder against a made-up /proc: the socket's inode from net/udp or net/tcp (listening only),
// then the process with that socket among its open files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPortHolder } from '../../../server/src/media/portHolder.ts';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
/** One /proc/net row: port in hex as the kernel writes it. */
const row = (port: number, state: string, inode: number) =>
  `   0: 0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 ${state} ` +
  `00000000:00000000 00:00000000 00000000  1000        0 ${inode} 2 0000000000000000 0\n`;

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function fakeProc(files: Record<string, string>, sockets: Record<number, number[]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  for (const [pid, inodes] of Object.entries(sockets)) {
    fs.mkdirSync(path.join(root, pid, 'fd'), { recursive: true });
    fs.writeFileSync(path.join(root, pid, 'cmdline'), `node\0server/src/main.ts\0`);
    fs.symlinkSync('/dev/null', path.join(root, pid, 'fd', '0'));
    inodes.forEach((inode, i) => {
      fs.symlinkSync(`socket:[${inode}]`, path.join(root, pid, 'fd', String(i + 1)));
    });
  }
  return root;
}

describe('findPortHolder', () => {
  it('names the process whose socket is bound to the UDP port', () => {
    const proc = fakeProc(
      { 'net/udp': HEADER + row(40000, '07', 111) + row(40001, '07', 222) },
      {
        10: [999],
        20: [222],
        30: [111],
      },
    );
    expect(findPortHolder('udp', 40000, proc)).toEqual({ pid: 30, command: 'node server/src/main.ts' });
  });

  it('looks at IPv6 sockets too, and for TCP only at listening ones', () => {
    const proc = fakeProc(
      {
        'net/tcp': HEADER + row(40000, '01', 333),
        'net/tcp6': HEADER + row(40000, '0A', 444),
      },
      { 40: [333], 50: [444] },
    );
    expect(findPortHolder('tcp', 40000, proc)?.pid).toBe(50);
  });

  it('says nothing when no readable process holds the port', () => {
    const proc = fakeProc({ 'net/udp': HEADER + row(40000, '07', 555) }, { 60: [666] });
    expect(findPortHolder('udp', 40000, proc)).toBeUndefined();
    expect(findPortHolder('udp', 40001, proc)).toBeUndefined();
    expect(findPortHolder('udp', 40000, path.join(proc, 'missing'))).toBeUndefined();
  });
});
