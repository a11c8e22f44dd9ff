/**
 * Prints the README's "Measured results" tables from one device's committed feeds
 * (public/feeds/<device>-*.json, as bench/gpu-run.sh names them): every Llama-7B layer at the
 * given token counts, each strategy's ms, GB/s and GFLOP/s, its speedup over our dense WGSL and
 * over cuBLAS (same precision class), and the performance targets.
 *   npx tsx scripts/results-table.ts [--device h100|h200] [--tokens 1,1024]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FeedResult } from '../src/lib/feed';
import { readFeedFile } from './feed-file';

const { values: args } = parseArgs({ options: { device: { type: 'string', default: 'h100' }, tokens: { type: 'string', default: '1,1024' } } });
const prefix = args.device!;
const tokenCounts = args.tokens!.split(',').map(Number);

const feedPath = (part: string) => `public/feeds/${prefix}-${part}.json`;
const f32Feed = readFeedFile(feedPath('wgsl-f32'));
const wgsl = [f32Feed, ...['wgsl-f16', 'wgsl-lowrank-fused'].filter((part) => existsSync(feedPath(part))).map((part) => readFeedFile(feedPath(part)))].flatMap((f) => f.results);
const torchFeed = readFeedFile(feedPath('torch'));
const f32Device = f32Feed.devices[0];
const copyGBs = f32Device.measured?.bandwidthGBs ?? NaN;

const find = (rows: FeedResult[], q: Partial<{ layer: string; tokens: number; kind: string; strategy: string; dtype: string; implementation: string }>) =>
  rows.find(
    (r) =>
      (q.layer === undefined || r.layer === q.layer) &&
      (q.tokens === undefined || r.shape.tokens === q.tokens) &&
      (q.kind === undefined || r.structure.kind === q.kind) &&
      (q.strategy === undefined || r.strategy === q.strategy) &&
      (q.dtype === undefined || r.dtype === q.dtype) &&
      (q.implementation === undefined || r.implementation === q.implementation),
  );

const f = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const cublasDtype = (d: string) => (d === 'f16' ? 'bf16' : d);
const layers = ['qkvo_proj', 'gate_up_proj', 'down_proj'];

for (const layer of layers) {
  for (const T of tokenCounts) {
    const any = find(wgsl, { layer, tokens: T });
    if (!any) continue;
    console.log(`\n**Llama-7B ${layer}** (n=${any.shape.n}, m=${any.shape.m}), T=${T}, ${f32Device.name}\n`);
    console.log('| dtype | structure | strategy | ms | GB/s | GFLOP/s | × dense WGSL | × cuBLAS |');
    console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const dtype of ['f32', 'f16']) {
      const dense = find(wgsl, { layer, tokens: T, kind: 'dense', dtype });
      const cublas = find(torchFeed.results, { layer, tokens: T, kind: 'dense', dtype: cublasDtype(dtype), implementation: 'cublas' });
      for (const r of wgsl.filter((x) => x.layer === layer && x.shape.tokens === T && x.dtype === dtype)) {
        const ms = r.latency.medianMs;
        console.log(
          `| ${dtype} | ${r.structure.kind} | ${r.strategy} | ${f(ms, 4)} | ${f(r.achievedGBs, 0)} | ${f(r.achievedGFlops, 0)} | ${f(dense && dense.latency.medianMs / ms, 2)} | ${f(cublas && cublas.latency.medianMs / ms, 2)} |`,
        );
      }
      for (const r of torchFeed.results.filter((x) => x.layer === layer && x.shape.tokens === T && x.dtype === cublasDtype(dtype))) {
        console.log(`| ${r.dtype} | ${r.structure.kind} | ${r.implementation} | ${f(r.latency.medianMs, 4)} | – | ${f(r.achievedGFlops, 0)} | – | ${f(cublas && cublas.latency.medianMs / r.latency.medianMs, 2)} |`);
      }
    }
  }
}

console.log(`\n**Targets** (${f32Device.name}, f32 unless stated)\n`);
console.log('| target | layer | measured | met |');
console.log('| --- | --- | --- | --- |');
for (const layer of layers) {
  const dense = find(wgsl, { layer, tokens: 1024, kind: 'dense', dtype: 'f32' })!;
  const cublas = find(torchFeed.results, { layer, tokens: 1024, kind: 'dense', dtype: 'f32', implementation: 'cublas' })!;
  const ratio = cublas.latency.medianMs / dense.latency.medianMs;
  console.log(`| dense WGSL ≥ 85% of cuBLAS f32, T=1024 | ${layer} | ${(100 * ratio).toFixed(0)}% (${f(dense.latency.medianMs)} vs ${f(cublas.latency.medianMs)} ms) | ${ratio >= 0.85 ? 'yes' : 'no'} |`);
  for (const kind of ['monarch', 'blast']) {
    const partial = find(wgsl, { layer, tokens: 1024, kind, strategy: 'partial', dtype: 'f32' })!;
    const unfused = find(wgsl, { layer, tokens: 1024, kind, strategy: 'unfused', dtype: 'f32' })!;
    const vsDense = dense.latency.medianMs / partial.latency.medianMs;
    const vsUnfused = unfused.latency.medianMs / partial.latency.medianMs;
    console.log(`| ${kind} partial ≥ 1.6× dense WGSL, T=1024 | ${layer} | ${vsDense.toFixed(2)}× | ${vsDense >= 1.6 ? 'yes' : 'no'} |`);
    console.log(`| ${kind} partial ≥ 2× unfused, T=1024 | ${layer} | ${vsUnfused.toFixed(2)}× | ${vsUnfused >= 2 ? 'yes' : 'no'} |`);
  }
}
const small = wgsl.filter((r) => r.shape.tokens <= 16 && r.dtype === 'f32' && r.strategy !== 'fused');
const best = Math.max(...small.map((r) => r.achievedGBs ?? 0));
const share = small.filter((r) => (r.achievedGBs ?? 0) >= 0.75 * copyGBs).length;
console.log(`| memory-bound kernels (T ≤ 16) ≥ 75% of copy bandwidth (${copyGBs.toFixed(0)} GB/s) | all | best ${best.toFixed(0)} GB/s = ${((100 * best) / copyGBs).toFixed(0)}%; ${share} of ${small.length} points reach 75% | ${share === small.length ? 'yes' : 'no'} |`);

console.log(`\n**Fraction of the copy bandwidth** (${copyGBs.toFixed(0)} GB/s, ${f32Device.name}), f32, bytes as the cost model counts them\n`);
console.log('| layer | T | dense | Monarch unfused | Monarch partial | BLAST unfused | BLAST partial |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const pct = (r: FeedResult | undefined) => (r?.achievedGBs === undefined ? '–' : `${((100 * r.achievedGBs) / copyGBs).toFixed(0)}%`);
for (const layer of layers) {
  for (const T of [1, 16]) {
    const q = (kind: string, strategy: string) => pct(find(small, { layer, tokens: T, kind, strategy }));
    console.log(`| ${layer} | ${T} | ${q('dense', 'tiled')} | ${q('monarch', 'unfused')} | ${q('monarch', 'partial')} | ${q('blast', 'unfused')} | ${q('blast', 'partial')} |`);
  }
}
