/**
 * Writes public/feeds/default.json, the feed the app ships (docs/feed.md), from:
 *   - the paper's cost model (roofline.py with device.py's ceilings) for Jetson Orin Nano 8GB
 *     and A40 at every preset layer and token count, from src/lib/cost/fixtures/roofline_model_derived.csv;
 *   - H100 measurements of the paper's kernels and PyTorch, from src/lib/feed/fixtures/h100-paper-kernels.jsonl;
 *   - the measured feeds listed in MEASURED_FEEDS below (`blr bench` and bench/torch_baseline.py runs).
 * The output depends on these inputs only: `generated` is the newest of the measured feeds' own
 * times, never the clock, so building twice gives the same bytes. scripts/generated-files.test.ts
 * fails when the committed file differs from what this script builds.
 *
 *   npx tsx scripts/build-default-feed.ts      (npm run generate also rebuilds docs/results.md)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEED_SCHEMA_VERSION, parseFeed, peakCeilings, type FeedDevice, type FeedDocument, type FeedResult, type FeedStrategy, type Implementation } from '../src/lib/feed';
import { rooflineBoundS } from '../src/lib/cost/roofline';
import { readFeedFile } from './feed-file';
import { PRESETS, specFor, type PresetLayer } from '../src/lib/presets';
import { forwardFlops } from '../src/lib/structures/shapes';
import type { StructureKind, StructureSpec } from '../src/lib/structures/types';

const ROOT = new URL('../', import.meta.url);
const fixture = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
export const DEFAULT_FEED = new URL('public/feeds/default.json', ROOT);

/**
 * The measured feeds of public/feeds/ that the default feed carries, in this order: their
 * devices join the ones above by id and their results are appended. To ship a new run, add its
 * file here and run `npm run generate`.
 */
export const MEASURED_FEEDS = [
  'h100-wgsl-f32.json',
  'h100-wgsl-f16.json',
  'h100-wgsl-lowrank-fused.json',
  'h100-torch.json',
  'h200-wgsl-f32.json',
  'h200-wgsl-f16.json',
  'h200-wgsl-lowrank-fused.json',
  'h200-torch.json',
] as const;

const PAPER = 'arXiv:2512.20861';
const HEADLINE = `up to 3.76x speedup and 3x model size compression vs PyTorch dense on Jetson Orin Nano and A40 (${PAPER}, abstract)`;

/** device.py of pabillam/mem-efficient-blr; its bandwidths are GiB/s, its peaks bf16 FLOP/s. */
const PAPER_DEVICES = [
  { csvColumn: 't_ms_JetsonOrinNano8GB_model', device: { id: 'nvidia-jetson-orin-nano-8gb', name: 'NVIDIA Jetson Orin Nano 8GB', kind: 'edge-gpu', memoryGiB: 8, peakBandwidthGiBs: 68.29, peakFlops: { bf16: 10e12 } } },
  { csvColumn: 't_ms_A40_model', device: { id: 'nvidia-a40', name: 'NVIDIA A40', kind: 'datacenter-gpu', peakBandwidthGiBs: 696, peakFlops: { bf16: 149.7e12 } } },
] as const satisfies readonly { csvColumn: string; device: FeedDevice }[];

const H100: FeedDevice = { id: 'nvidia-h100-80gb-hbm3', name: 'NVIDIA H100 80GB HBM3', kind: 'datacenter-gpu' };

interface Mapping {
  kind: StructureKind;
  strategy: FeedStrategy;
  /** what the paper's variant or kernel is, where its name does not say */
  note?: string;
}

/** roofline.py variants → our strategies; `native` where we build no WGSL counterpart (docs/feed.md). */
const CSV_VARIANTS: Record<string, Mapping> = {
  dense: { kind: 'dense', strategy: 'tiled' },
  lowrank_torch: { kind: 'lowrank', strategy: 'tiled', note: 'two F.linear' },
  lowrank_triton_fused: { kind: 'lowrank', strategy: 'fused' },
  blast_torch: { kind: 'blast', strategy: 'unfused', note: 'the PyTorch baseline' },
  blast_triton_partial: { kind: 'blast', strategy: 'partial' },
  blast_triton_bmm3: { kind: 'blast', strategy: 'perm-fused', note: "the paper's ⑤ permutation-only fusion (three bmm kernels)" },
  blast_full_fusion_ideal: { kind: 'blast', strategy: 'fused', note: "ideal, the paper's fused kernel is broken" },
  monarch_torch: { kind: 'monarch', strategy: 'unfused', note: 'the PyTorch baseline' },
  monarch_triton_right: { kind: 'monarch', strategy: 'native', note: 'Triton right + torch.bmm + output permute copy, no WGSL equivalent' },
  'monarch_triton_right_ideal|right_left': { kind: 'monarch', strategy: 'partial' },
};

interface H100Kernel extends Mapping {
  note: string;
  implementation: Implementation;
  dtype: 'bf16' | 'f32';
}

/** Keys of the `ms` object in h100-paper-kernels.jsonl. */
const H100_KERNELS: Record<string, H100Kernel> = {
  torch_dense_bf16: { kind: 'dense', strategy: 'tiled', implementation: 'cublas', dtype: 'bf16', note: 'F.linear' },
  torch_dense_f32: { kind: 'dense', strategy: 'tiled', implementation: 'cublas', dtype: 'f32', note: 'F.linear' },
  torch_monarch_eager: { kind: 'monarch', strategy: 'unfused', implementation: 'torch-eager', dtype: 'bf16', note: 'torch_monarch_baseline' },
  triton_monarch_partial: { kind: 'monarch', strategy: 'partial', implementation: 'triton-paper', dtype: 'bf16', note: "the paper's Triton Monarch right_left" },
  torch_blast_eager: { kind: 'blast', strategy: 'unfused', implementation: 'torch-eager', dtype: 'bf16', note: 'torch_blast_baseline' },
  torch_blast_compile: { kind: 'blast', strategy: 'native', implementation: 'torch-compile', dtype: 'bf16', note: 'torch.compile(torch_blast_baseline)' },
  triton_blast_partial: { kind: 'blast', strategy: 'partial', implementation: 'triton-paper', dtype: 'bf16', note: "the paper's Triton BLAST partial_grouped, U stage by torch.bmm" },
};

/** The preset layer of a repo config name such as ('llama7b', 'qkvo_proj'). */
function presetLayer(network: string, layerName: string): { preset: string; layer: PresetLayer } {
  const suffix = `/${network}.${layerName}.yaml`;
  for (const p of PRESETS) for (const l of p.layers) if (l.source.endsWith(suffix)) return { preset: p.id, layer: l };
  throw new Error(`no preset layer for ${network}.${layerName}`);
}

function structureOf(layer: PresetLayer, kind: StructureKind, where: string): StructureSpec {
  const spec = specFor(layer, kind);
  if (!spec) throw new Error(`${where}: the preset has no ${kind} config`);
  return spec;
}

function sameKnobs(spec: StructureSpec, blocks: number | undefined, rank: number | undefined): boolean {
  return ('blocks' in spec ? spec.blocks : undefined) === blocks && ('rank' in spec ? spec.rank : undefined) === rank;
}

function costModelResults(): FeedResult[] {
  const [header, ...lines] = fixture('src/lib/cost/fixtures/roofline_model_derived.csv').trim().split(/\r?\n/);
  const columns = header.split(',');
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return (name: string) => cells[columns.indexOf(name)];
  });
  const results: FeedResult[] = [];
  for (const { csvColumn, device } of PAPER_DEVICES) {
    for (const get of rows) {
      const where = `${get('network')}.${get('layer')} T=${get('tokens')} ${get('variant')}`;
      const mapping = CSV_VARIANTS[get('variant')];
      if (!mapping) throw new Error(`${where}: unknown variant`);
      const { preset, layer } = presetLayer(get('network'), get('layer'));
      const structure = structureOf(layer, mapping.kind, where);
      const optional = (name: string) => (get(name) === '' ? undefined : Number(get(name)));
      if (Number(get('in_f')) !== layer.n || Number(get('out_f')) !== layer.m || !sameKnobs(structure, optional('structure_b'), optional('structure_rank'))) {
        throw new Error(`${where}: shape or knobs differ from the preset`);
      }
      const bytes = Number(get('bytes'));
      const flops = Number(get('flops'));
      // roofline.py: runtime = flops / min(bandwidth · AI, peak); the CSV rounds it to 1e-5 ms.
      const ms = rooflineBoundS({ bytes, flops }, peakCeilings(device)!, 'bf16') * 1e3;
      if (!(Math.abs(ms - Number(get(csvColumn))) <= 5.001e-6)) throw new Error(`${where}: modelled ${ms} ms, CSV ${get(csvColumn)} ms`);
      results.push({
        device: device.id,
        preset,
        layer: layer.id,
        shape: { m: layer.m, n: layer.n, tokens: Number(get('tokens')) },
        structure,
        strategy: mapping.strategy,
        implementation: 'cost-model',
        dtype: 'bf16',
        latency: { medianMs: Number(ms.toFixed(6)) },
        bytes,
        flops,
        provenance: {
          kind: 'paper-cost-model',
          source: `modelled, not measured: roofline.py of pabillam/mem-efficient-blr (${PAPER}), variant ${get('variant')}${mapping.note ? ` (${mapping.note})` : ''}`,
        },
      });
    }
  }
  return results;
}

interface H100Row {
  layer: string;
  n: number;
  m: number;
  tokens: number;
  monarch: [number, number];
  blast: [number, number];
  ms: Record<string, number>;
}

function h100Results(): FeedResult[] {
  const rows: H100Row[] = fixture('src/lib/feed/fixtures/h100-paper-kernels.jsonl').trim().split('\n').map((line) => JSON.parse(line));
  const results: FeedResult[] = [];
  for (const row of rows) {
    const [network, layerName] = row.layer.split('.');
    const { preset, layer } = presetLayer(network, layerName);
    if (row.n !== layer.n || row.m !== layer.m || !sameKnobs(structureOf(layer, 'monarch', row.layer), ...row.monarch) || !sameKnobs(structureOf(layer, 'blast', row.layer), ...row.blast)) {
      throw new Error(`${row.layer}: shape or knobs differ from the preset`);
    }
    for (const [key, ms] of Object.entries(row.ms)) {
      const kernel = H100_KERNELS[key];
      if (!kernel) throw new Error(`${row.layer}: unknown kernel ${key}`);
      const shape = { m: layer.m, n: layer.n, tokens: row.tokens };
      const structure = structureOf(layer, kernel.kind, row.layer);
      const flops = forwardFlops(shape, structure);
      results.push({
        device: H100.id,
        preset,
        layer: layer.id,
        shape,
        structure,
        strategy: kernel.strategy,
        implementation: kernel.implementation,
        dtype: kernel.dtype,
        latency: { medianMs: ms },
        flops,
        achievedGFlops: Number((flops / (ms / 1e3) / 1e9).toPrecision(6)),
        provenance: { kind: 'pytorch', source: `PyTorch 2.11 / Triton 3.6 run, triton.testing.do_bench median; ${kernel.note}, random weights, batch 1` },
      });
    }
  }
  return results;
}

/** Devices pretty-printed, one result per line: readable diffs at a modest size. */
function serialize(feed: FeedDocument): string {
  const { results, ...head } = feed;
  const fields = Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`);
  fields.push(`  "results": [\n${results.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`);
  return `{\n${fields.join(',\n')}\n}\n`;
}

/** The default feed's text, built from the fixtures and MEASURED_FEEDS alone. */
export function buildDefaultFeed(): { text: string; feed: FeedDocument } {
  const included = MEASURED_FEEDS.map((file) => readFeedFile(new URL(`public/feeds/${file}`, ROOT)));
  const devices = new Map<string, FeedDevice>([...PAPER_DEVICES.map(({ device }) => device), H100].map((d) => [d.id, d]));
  // A device already known keeps its fields and gains the ones it lacks (e.g. the ceilings a
  // `blr bench` run measured on it).
  for (const f of included) for (const d of f.devices) devices.set(d.id, { ...d, ...devices.get(d.id) });
  // The H100 runs' `blr roofline` timed its ceilings at idle clocks, far below the chip
  // (docs/decisions.md#clock-warm-up): a roof drawn from them would be wrong, so the H100 has none.
  const { measured: _idleClockCeilings, ...h100 } = devices.get(H100.id)!;
  devices.set(H100.id, h100);

  const feed: FeedDocument = {
    schema: FEED_SCHEMA_VERSION,
    generated: newest(included.map((f) => f.generated)),
    generator: 'scripts/build-default-feed.ts',
    title: "BLR Playground default feed: the paper's cost model on Jetson Orin Nano 8GB and A40, measured H100 and H200 runs",
    notes: [
      `Paper headline: ${HEADLINE}.`,
      "Jetson Orin Nano 8GB and A40 rows are the paper's roofline cost model (implementation cost-model), not measurements: bf16, ceilings of the paper's device.py, bandwidth in GiB/s.",
      "H100 rows are measurements of the paper's Triton kernels and of PyTorch at the Llama-7B configs: bf16 unless the dtype says f32, median of triton.testing.do_bench.",
      "H100 wgsl-dawn rows are an earlier version of this project's WGSL kernels through Dawn (blr bench), cublas/torch-eager/torch-compile rows its PyTorch baseline (bench/torch_baseline.py), both on one NVIDIA H100 80GB HBM3.",
      "The H100's ceilings measured with those runs were timed at idle clocks and are left out, so it has no roof here; the H200's were measured at working clocks.",
      'NVIDIA H200 rows are WGSL kernels through Dawn (f32 and f16: the current kernels; fused low-rank: an earlier, untiled kernel) and the PyTorch baseline (cublas, torch-eager), each from bench/gpu-run.sh on one NVIDIA H200.',
    ],
    devices: [...devices.values()],
    results: [...costModelResults(), ...h100Results(), ...included.flatMap((f) => f.results)],
  };
  const text = serialize(feed);
  const check = parseFeed(text);
  if (!check.ok) throw new Error(`the feed built is invalid: ${check.error}`);
  return { text, feed };
}

/** The latest of ISO-8601 times, as written. */
export function newest(times: readonly string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function main(): void {
  const { text, feed } = buildDefaultFeed();
  writeFileSync(DEFAULT_FEED, text);
  const perDevice = new Map<string, number>();
  for (const r of feed.results) perDevice.set(r.device, (perDevice.get(r.device) ?? 0) + 1);
  const counts = [...perDevice].map(([id, n]) => `${id} ${n}`).join(', ');
  process.stderr.write(`wrote public/feeds/default.json: ${text.length} bytes, ${feed.devices.length} devices, ${feed.results.length} results (${counts})\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
