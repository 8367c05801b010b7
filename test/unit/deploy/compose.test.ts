// docs/examples/compose.yaml cannot be run here (no Docker engine), so it is checked as far as it can be without
// one: it parses, every Tandem node's environment (with the .env placeholders filled) is accepted by the
// server's own config parser as a cluster node, the nodes' addresses are the server lines of the haproxy.cfg it
// mounts, and each node publishes exactly the RTC ports it announces, without overlaps.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../server/src/config.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');
const ENV_FILE: Record<string, string> = {
  AUTH_SECRET: 'a'.repeat(32),
  CLUSTER_SECRET: 'c'.repeat(32),
  POSTGRES_PASSWORD: 'secret',
  PUBLIC_ADDRESS: '203.0.113.5',
};

/** Compose's `${NAME:?message}` / `${NAME}` interpolation with the values of an .env file. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(?::\?[^}]*)?\}/g, (_, name: string) => {
    const v = ENV_FILE[name];
    if (v === undefined)
      throw new Error(`compose.yaml uses ${name}, which compose.env.example does not list`);
    return v;
  });
}

interface Service {
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string }> | string[];
}

const compose = parse(fs.readFileSync(path.join(EXAMPLES, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const nodes = Object.entries(compose.services).filter(([name]) => name.startsWith('tandem-'));
const addressOf = (s: Service) => (Array.isArray(s.networks) ? undefined : s.networks?.tandem?.ipv4_address);

describe('docs/examples/compose.yaml', () => {
  it('lists every variable it needs in compose.env.example', () => {
    const example = fs.readFileSync(path.join(EXAMPLES, 'compose.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(Object.keys(ENV_FILE).sort());
  });

  it('gives three nodes an environment the server accepts as a cluster node', () => {
    expect(nodes.map(([name]) => name)).toEqual(['tandem-1', 'tandem-2', 'tandem-3']);
    const ids = new Set<string>();
    for (const [, service] of nodes) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      const config = loadConfig({ ...env, HOST: '0.0.0.0' }, '/app');
      expect(config.cluster).toBeDefined();
      expect(config.storage.databaseUrl).toMatch(/^postgres:\/\/tandem:secret@postgres:5432\/tandem$/);
      expect(config.cluster?.advertiseUrl).toBe(`http://${addressOf(service)}:8080`);
      ids.add(config.cluster?.nodeId ?? '');
    }
    expect(ids.size).toBe(3);
  });

  it('puts the nodes at the server addresses of the haproxy.cfg that HAProxy mounts', () => {
    const haproxy = compose.services.haproxy as Service;
    expect(haproxy.volumes).toContain('./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const cfg = fs.readFileSync(path.join(EXAMPLES, 'haproxy.cfg'), 'utf8');
    const servers = [...cfg.matchAll(/^\s*server \S+ ([\d.]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(nodes.map(([, s]) => `${addressOf(s)}:8080`));
    const trusted = interpolate(String(nodes[0]?.[1].environment?.TRUSTED_PROXIES));
    expect(trusted).toBe(addressOf(haproxy));
  });

  it('publishes each node its own RTC ports, the ones it announces, for every worker, without overlap', () => {
    const taken = new Set<number>();
    for (const [, service] of nodes) {
      const env = service.environment ?? {};
      const first = Number(env.RTC_PORT);
      const workers = Number(env.MEDIA_WORKERS);
      const wanted = Array.from({ length: workers }, (_, i) => first + i);
      for (const proto of ['udp', 'tcp']) {
        const mapping = service.ports?.find((p) => p.endsWith(`/${proto}`));
        const m = /^(\d+)-(\d+):(\d+)-(\d+)\//.exec(mapping ?? '');
        expect(m, `${proto} ports of a node`).not.toBeNull();
        const [hostFrom, hostTo, from, to] = (m ?? []).slice(1).map(Number);
        expect([hostFrom, hostTo]).toEqual([from, to]);
        expect(Array.from({ length: (to ?? 0) - (from ?? 0) + 1 }, (_, i) => (from ?? 0) + i)).toEqual(
          wanted,
        );
      }
      for (const port of wanted) {
        expect(taken.has(port)).toBe(false);
        taken.add(port);
      }
    }
  });
});
