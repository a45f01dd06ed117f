/**
 * `npm run bench [-- name-filter]`: runs every bench/*.bench.ts, prints a table and writes
 * bench/results/<timestamp>.json with the machine's core count. Figures come only from here, never from timed tests.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Bench, BenchRow } from './bench-types.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');
const sharedData = resolve(process.env.TWINVIEW_SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data'));
const filter = process.argv[2];

const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !filter || name.includes(filter))
  .sort();

const results: Array<{ bench: string } & BenchRow> = [];
for (const file of files) {
  const bench = file.replace(/\.bench\.ts$/, '');
  console.log(`# ${bench}`);
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: Bench };
  const rows = await module.default({ repoRoot, sharedData, log: (m) => console.log(`  ${m}`) });
  for (const row of rows) results.push({ bench, ...row });
}

const format = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const table = results.map((r) => [r.bench, r.name, `${format(r.value)} ${r.unit}`, r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO', r.notes ?? '']);
const header = ['bench', 'measure', 'value', 'target', 'met', 'notes'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of table) console.log(line(row));

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
mkdirSync(join(benchDir, 'results'), { recursive: true });
const out = join(benchDir, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(`\n${machine.cores} cores, ${machine.cpu}; written ${out}`);
