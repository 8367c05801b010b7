// HAProxy in front of test nodes: docs/examples/haproxy.cfg as shipped, with its `bind` line moved to a free
// local port and its `server` lines replaced by the nodes, run in the foreground (scripts/test.sh installs
// Debian's haproxy). What the cluster tests enter through is the configuration the deploy guide gives.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './freePort.ts';
import { waitFor } from './waitFor.ts';

const EXAMPLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/examples/haproxy.cfg');

export interface Haproxy {
  url: string;
  close(): Promise<void>;
}

/** The example configuration, entered at `port`, balancing over `backendPorts` on 127.0.0.1. */
export function haproxyConfig(port: number, backendPorts: readonly number[]): string {
  const lines = fs.readFileSync(EXAMPLE, 'utf8').split('\n');
  const out: string[] = [];
  let serversWritten = false;
  for (const line of lines) {
    if (/^\s*bind\s/.test(line)) out.push(`    bind 127.0.0.1:${port}`);
    else if (/^\s*server\s/.test(line)) {
      if (serversWritten) continue;
      serversWritten = true;
      backendPorts.forEach((p, i) => {
        out.push(`    server node-${i + 1} 127.0.0.1:${p} check`);
      });
    } else out.push(line);
  }
  if (!serversWritten) throw new Error(`${EXAMPLE} has no server lines`);
  return out.join('\n');
}

export async function startHaproxy(backendPorts: readonly number[]): Promise<Haproxy> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfg, haproxyConfig(port, backendPorts));
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let failed: Error | null = null;
  child.once('error', (error) => {
    failed = new Error(`haproxy did not start: ${error.message} (scripts/test.sh installs it)`);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (failed) throw failed;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`haproxy exited: ${stderr}`);
      const reply = await fetch(`${url}/readyz`).catch(() => null);
      return reply?.status === 200;
    },
    { timeoutMs: 15_000, message: 'haproxy answers with a ready node' },
  );
  return {
    url,
    async close() {
      if (child.exitCode === null && child.signalCode === null && !failed) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
