/**
 * One table from the feeds of a bench/ab-run.sh output folder: a row per point (preset, layer,
 * shape, structure, strategy, dtype), a column per run with its median ms and, after the first
 * run that has the point, its speed-up over that run (first run's ms ÷ this run's: > 1 is faster).
 *   npx tsx scripts/ab-table.ts OUTDIR
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FeedResult } from '../src/lib/feed';
import { readFeedFile } from './feed-file';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx scripts/ab-table.ts OUTDIR');

const runs = readdirSync(dir)
  .filter((f) => /^\d+-.+\.json$/.test(f))
  .sort((a, b) => parseInt(a) - parseInt(b))
  .map((file) => ({ name: file.replace(/\.json$/, ''), results: readFeedFile(join(dir, file)).results }));

const keyOf = (r: FeedResult) => JSON.stringify([r.preset, r.layer, r.shape, r.structure, r.strategy, r.dtype]);
const rows = new Map<string, FeedResult>();
for (const run of runs) for (const r of run.results) if (!rows.has(keyOf(r))) rows.set(keyOf(r), r);
const order = [...rows.values()].sort(
  (a, b) => (a.preset ?? '').localeCompare(b.preset ?? '') || (a.layer ?? '').localeCompare(b.layer ?? '') || a.dtype.localeCompare(b.dtype) || a.shape.tokens - b.shape.tokens ||
    a.structure.kind.localeCompare(b.structure.kind) || a.strategy.localeCompare(b.strategy),
);

// Layers are named by their preset where the runs cover several (ViT-B/16 and /8 share layer names).
const manyPresets = new Set(order.map((r) => r.preset)).size > 1;
const layerName = (r: FeedResult) => r.layer ? (manyPresets && r.preset ? `${r.preset} ${r.layer}` : r.layer) : `${r.shape.m}×${r.shape.n}`;

console.log(`| layer | structure | strategy | dtype | T | ${runs.map((r) => `${r.name} ms`).join(' | ')} |`);
console.log(`| --- | --- | --- | --- | ---: | ${runs.map(() => '---:').join(' | ')} |`);
for (const row of order) {
  const key = keyOf(row);
  const ms = runs.map((run) => run.results.find((r) => keyOf(r) === key)?.latency.medianMs);
  const firstIndex = ms.findIndex((v) => v !== undefined);
  const cells = ms.map((v, i) => (v === undefined ? '–' : i === firstIndex ? v.toFixed(4) : `${v.toFixed(4)} (${(ms[firstIndex]! / v).toFixed(2)}×)`));
  console.log(`| ${layerName(row)} | ${row.structure.kind} | ${row.strategy} | ${row.dtype} | ${row.shape.tokens} | ${cells.join(' | ')} |`);
}
