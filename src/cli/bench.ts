/**
 * `blr bench`: sweeps layers × tokens × structures × strategies × dtypes, timing each point
 * (median of ≥ 20 timestamped runs after warm-up, inputs rotated) and writing a blr-feed/1
 * document with the cost model's bytes and FLOPs beside each latency.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { strategyCost } from '../lib/cost';
import type { Engine } from '../lib/gpu/engine';
import { PRESETS, specFor, type PresetLayer } from '../lib/presets';
import { FEED_SCHEMA_VERSION, parseFeed, type FeedDevice, type FeedDocument, type FeedResult } from '../lib/feed';
import { STRATEGIES, STRATEGY_NAMES, STRUCTURE_KINDS, DTYPES, type DType, type Problem, type Strategy, type StructureSpec } from '../lib/structures/types';
import { parseChoice, parseCount, parseFlags, parseList, structureFrom, UsageError } from './args';

const BENCH_OPTIONS = {
  preset: { type: 'string' },
  layer: { type: 'string' },
  kernel: { type: 'string' },
  m: { type: 'string' },
  n: { type: 'string' },
  blocks: { type: 'string' },
  rank: { type: 'string' },
  tokens: { type: 'string', default: '1,16,128,1024,4096' },
  dtype: { type: 'string' },
  strategies: { type: 'string' },
  structures: { type: 'string' },
  reps: { type: 'string', default: '30' },
  warmup: { type: 'string', default: '5' },
  out: { type: 'string' },
  quick: { type: 'boolean', default: false },
  steps: { type: 'boolean', default: false },
  'device-name': { type: 'string' },
  dawn: { type: 'string' },
} as const;

/** One layer to sweep: its shape (without tokens), the structures to time, and where it comes from. */
interface SweepLayer {
  preset?: string;
  layer?: string;
  m: number;
  n: number;
  structures: StructureSpec[];
}

function presetLayers(presetIds: string[], layerFilter?: string): SweepLayer[] {
  const out: SweepLayer[] = [];
  for (const id of presetIds) {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) throw new UsageError(`unknown preset '${id}'; known: ${PRESETS.map((p) => p.id).join(', ')}`);
    const layers = preset.layers.filter((l: PresetLayer) => !layerFilter || l.id === layerFilter);
    if (!layers.length) throw new UsageError(`preset ${id} has no layer '${layerFilter}'; it has ${preset.layers.map((l) => l.id).join(', ')}`);
    for (const l of layers) {
      const structures = STRUCTURE_KINDS.map((k) => specFor(l, k)).filter((s): s is StructureSpec => s !== null);
      out.push({ preset: id, layer: l.id, m: l.m, n: l.n, structures });
    }
  }
  return out;
}

function customLayer(v: Record<string, string | boolean | undefined>): SweepLayer {
  const kind = parseChoice('kernel', v.kernel as string | undefined, STRUCTURE_KINDS);
  const m = parseCount('m', v.m as string);
  const n = parseCount('n', v.n as string);
  const structure = structureFrom(kind, v.blocks as string | undefined, v.rank as string | undefined);
  // Dense is always timed too: every speedup is against it.
  return { m, n, structures: kind === 'dense' ? [structure] : [{ kind: 'dense' }, structure] };
}

type WithEngine = <T>(dawn: string | undefined, work: (engine: Engine) => Promise<T>) => Promise<T>;

/** A comma-separated list of choices, each checked; undefined where the flag is absent. */
function parseChoices<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T[] | undefined {
  return value === undefined ? undefined : value.split(',').map((c) => parseChoice(flag, c, choices));
}

export async function runBench(argv: string[], withEngine: WithEngine): Promise<number> {
  const v = parseFlags(argv, BENCH_OPTIONS);
  const custom = v.m !== undefined || v.n !== undefined || v.kernel !== undefined;
  if (custom && v.preset !== undefined) throw new UsageError('give either --preset or a custom shape (--kernel --m --n …), not both');
  const layers = custom ? [customLayer(v)] : presetLayers(((v.preset as string | undefined) ?? 'llama-7b').split(','), v.layer as string | undefined);
  const tokens = parseList('tokens', v.tokens as string);
  const reps = parseCount('reps', v.reps as string);
  if (reps < 20 && !v.quick) throw new UsageError(`--reps must be at least 20 for a benchmark (medians of fewer runs are noise), got ${reps}`);
  const warmup = parseCount('warmup', v.warmup as string, true);
  const strategyFilter = parseChoices('strategies', v.strategies as string | undefined, STRATEGY_NAMES);
  const structureFilter = parseChoices('structures', v.structures as string | undefined, STRUCTURE_KINDS);
  // What to time at each token count and dtype, checked before a device is opened.
  const selected = layers.flatMap((layer) => layer.structures
    .filter((structure) => !structureFilter || structureFilter.includes(structure.kind))
    .map((structure) => ({ layer, structure, strategies: STRATEGIES[structure.kind].filter((s) => !strategyFilter || strategyFilter.includes(s)) }))
    .filter(({ strategies }) => strategies.length > 0));
  if (!selected.length) throw new UsageError('no point to time: no structure of these layers has a strategy that --structures and --strategies allow');
  const askedDtypes = v.dtype ? (v.dtype as string).split(',').map((d) => parseChoice<DType>('dtype', d, DTYPES)) : undefined;
  const out = v.out as string | undefined;

  return withEngine(v.dawn as string | undefined, async (engine) => {
    const summary = engine.summary();
    const dtypes = (askedDtypes ?? summary.dtypes).filter((d) => {
      if (summary.dtypes.includes(d)) return true;
      process.stderr.write(`skipping ${d}: this adapter has no shader-f16\n`);
      return false;
    });
    process.stderr.write(`adapter: ${summary.description || summary.device} (${summary.vendor} ${summary.architecture})\nmeasuring roofline ceilings…\n`);
    const ceilings = await engine.roofline({ quick: Boolean(v.quick) });
    if (v.steps && !summary.features.includes('timestamp-query')) process.stderr.write('--steps: this adapter has no timestamp-query, so dispatches are not timed alone\n');
    process.stderr.write(`copy ${ceilings.bandwidthGBs.toFixed(1)} GB/s, f32 ${ceilings.f32GFlops.toFixed(0)} GFLOP/s${ceilings.f16GFlops ? `, f16 ${ceilings.f16GFlops.toFixed(0)} GFLOP/s` : ''} (${ceilings.timer})\n`);

    const points: { layer: SweepLayer; problem: Problem; strategy: Strategy }[] = [];
    for (const { layer, structure, strategies } of selected)
      for (const dtype of dtypes)
        for (const strategy of strategies)
          for (const T of tokens) points.push({ layer, problem: { shape: { m: layer.m, n: layer.n, tokens: T }, structure, dtype }, strategy });

    // Vulkan adapters often describe only the driver (NVIDIA: "NVIDIA: 580.…"): --device-name
    // gives the GPU's name so results line up with other feeds' rows for the same GPU.
    const deviceName = (v['device-name'] as string | undefined) ?? (summary.description || summary.device || 'unknown adapter');
    const deviceId = deviceIdOf(deviceName);
    const device: FeedDevice = {
      id: deviceId,
      name: deviceName,
      kind: summary.isFallbackAdapter ? 'cpu' : 'unknown',
      measured: { bandwidthGBs: ceilings.bandwidthGBs, f32GFlops: ceilings.f32GFlops, ...(ceilings.f16GFlops ? { f16GFlops: ceilings.f16GFlops } : {}) },
      adapter: { vendor: summary.vendor, architecture: summary.architecture, description: summary.description },
    };
    const command = recordedCommand(argv);
    const results: FeedResult[] = [];
    for (const [i, pt] of points.entries()) {
      const label = `${pt.layer.preset ?? 'custom'} ${pt.layer.layer ?? `${pt.layer.m}x${pt.layer.n}`} ${pt.problem.structure.kind} ${pt.strategy} ${pt.problem.dtype} T=${pt.problem.shape.tokens}`;
      try {
        const plan = engine.plan(pt.problem, pt.strategy);
        if (plan.fallbackReason) {
          process.stderr.write(`[${i + 1}/${points.length}] ${label}: skipped, ${plan.fallbackReason}\n`);
          continue;
        }
        const t = await engine.time(pt.problem, pt.strategy, { warmup, reps, steps: Boolean(v.steps) });
        const cost = strategyCost(pt.problem, pt.strategy);
        const seconds = t.medianMs / 1e3;
        // A dispatch too short for the timer's resolution reads 0 ms, which a feed cannot hold.
        const steps = t.steps?.every((s) => s.medianMs > 0) ? t.steps : undefined;
        const result: FeedResult = {
          device: deviceId,
          ...(pt.layer.preset ? { preset: pt.layer.preset, layer: pt.layer.layer } : {}),
          shape: pt.problem.shape,
          structure: pt.problem.structure,
          strategy: pt.strategy,
          implementation: 'wgsl-dawn',
          dtype: pt.problem.dtype,
          latency: { medianMs: t.medianMs, p10Ms: t.p10Ms, p90Ms: t.p90Ms, samples: t.samples },
          ...(steps ? { steps } : {}),
          bytes: cost.bytes,
          flops: cost.flops,
          achievedGBs: cost.bytes / seconds / 1e9,
          achievedGFlops: cost.flops / seconds / 1e9,
          provenance: { kind: 'blr-bench', source: `blr bench, ${t.timer}, median of ${t.samples} after ${warmup} warm-up`, command },
        };
        // Checked before it joins the others: a result the schema refuses fails this point only.
        const text = feedText(feedOf(device, [...results, result]));
        results.push(result);
        const alone = t.steps
          ? `; alone: ${t.steps.map((s) => `${s.name} ${s.medianMs.toFixed(4)}`).join(', ')} ms${steps ? '' : ' (not recorded: a dispatch read 0 ms)'}`
          : '';
        process.stderr.write(`[${i + 1}/${points.length}] ${label}: ${t.medianMs.toFixed(4)} ms (p10 ${t.p10Ms.toFixed(4)}, p90 ${t.p90Ms.toFixed(4)}), ${(cost.bytes / seconds / 1e9).toFixed(1)} GB/s, ${(cost.flops / seconds / 1e9).toFixed(0)} GFLOP/s${alone}\n`);
        // Written after every point, so that a sweep stopped early keeps what it measured.
        if (out) writeFeed(out, text);
      } catch (e) {
        process.stderr.write(`[${i + 1}/${points.length}] ${label}: failed, ${(e as Error).message}\n`);
      }
    }
    const text = feedText(feedOf(device, results));
    if (out) {
      writeFeed(out, text);
      process.stderr.write(`wrote ${results.length} results to ${out}\n`);
    } else process.stdout.write(text);
    return 0;
  });
}

function feedOf(device: FeedDevice, results: FeedResult[]): FeedDocument {
  return { schema: FEED_SCHEMA_VERSION, generated: new Date().toISOString(), generator: 'blr bench', devices: [device], results };
}

/** The document as written; it must be one our own feed loader accepts. */
function feedText(feed: FeedDocument): string {
  const text = `${JSON.stringify(feed, null, 1)}\n`;
  const check = parseFeed(text);
  if (!check.ok) throw new Error(`bench produced an invalid feed: ${check.error}`);
  return text;
}

/** Replaces `out` whole (written beside it, then renamed), so a reader never sees half a feed. */
function writeFeed(out: string, text: string): void {
  writeFileSync(`${out}.partial`, text);
  renameSync(`${out}.partial`, out);
}

/** A feed device id from the adapter's name: lower-case words joined by dashes. */
function deviceIdOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'adapter';
}

/**
 * The command a feed records for its results: the arguments as given, except that --out keeps
 * only its file name, since the folder belongs to the machine that ran it.
 */
export function recordedCommand(argv: string[]): string {
  const args = argv.map((arg, i) => {
    if (argv[i - 1] === '--out') return basename(arg);
    if (arg.startsWith('--out=')) return `--out=${basename(arg.slice('--out='.length))}`;
    return arg;
  });
  return ['blr', 'bench', ...args].join(' ');
}
