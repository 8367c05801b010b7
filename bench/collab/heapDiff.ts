// Compares two V8 heap snapshots (`npm run bench:soak -- --snapshots` writes them): objects grouped by
// constructor (or type), with the change in count and in self size, largest growth first. What grew between
// the snapshots is what a leak is made of.
//   node --import tsx bench/collab/heapDiff.ts before.heapsnapshot after.heapsnapshot [--top 25]
import fs from 'node:fs';
import { parseArgs } from 'node:util';

interface Group {
  count: number;
  selfBytes: number;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Objects by "type:name" (e.g. `object:Map`, `closure:onClose`, `array:(object elements)`). */
export function groupNodes(file: string): Map<string, Group> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    // Strings and numbers are grouped by type only: their "name" is their content.
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number'
        ? ''
        : snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60);
    const key = `${type}:${name}`;
    const g = groups.get(key) ?? { count: 0, selfBytes: 0 };
    g.count++;
    g.selfBytes += snap.nodes[i + sizeAt]!;
    groups.set(key, g);
  }
  return groups;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const [beforeFile, afterFile] = positionals;
  if (!beforeFile || !afterFile) {
    process.stderr.write('usage: heapDiff.ts before.heapsnapshot after.heapsnapshot [--top N]\n');
    process.exit(2);
  }
  const before = groupNodes(beforeFile);
  const after = groupNodes(afterFile);
  const rows = [...new Set([...before.keys(), ...after.keys()])].map((key) => {
    const b = before.get(key) ?? { count: 0, selfBytes: 0 };
    const a = after.get(key) ?? { count: 0, selfBytes: 0 };
    return { key, count: a.count - b.count, bytes: a.selfBytes - b.selfBytes, total: a.count };
  });
  rows.sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  process.stdout.write(`self size change, all objects: ${(total / 1024).toFixed(0)} KiB\n`);
  process.stdout.write(`${'Δ KiB'.padStart(9)} ${'Δ count'.padStart(9)} ${'count'.padStart(9)}  type:name\n`);
  for (const r of rows.slice(0, Number(values.top))) {
    process.stdout.write(
      `${(r.bytes / 1024).toFixed(1).padStart(9)} ${String(r.count).padStart(9)} ${String(r.total).padStart(9)}  ${r.key}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
