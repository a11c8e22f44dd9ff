/**
 * `blr bench`: sweeps layers × tokens × structures × strategies × dtypes, timing each point
 * (median of ≥ 20 samples after warm-up, inputs rotated, each sample a batch of runs long
 * enough for the timer: src/lib/gpu/timing.ts) and writing a blr-feed/1 document with the cost
 * model's bytes and FLOPs beside each latency. In four parts: the sweep from the command line,
 * the adapter and its points, a result per measured point, and the feed they are written to.
 */
import { basename } from 'node:path';
import type { Engine, PathOptions } from '../lib/gpu/engine';
import { describeSampling } from '../lib/gpu/timing';
import type { TimingResult } from '../lib/gpu/types';
import type { StrategyCost } from '../lib/cost/types';
import { PRESETS, specFor, type PresetLayer } from '../lib/presets';
import { feedMeasured, type FeedDevice, type FeedResult } from '../lib/feed';
import { DTYPES, type DType, type Problem, type Strategy, type StructureSpec } from '../lib/structures/types';
import { STRATEGIES, STRATEGY_NAMES, STRUCTURE_KINDS } from '../lib/structures/kinds';
import { parseChoice, parseCount, parseFlags, parseList, parsePath, PATH_OPTIONS, structureFrom, UsageError } from './args';
import { FeedWriter } from './feed-writer';

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
  ...PATH_OPTIONS,
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

/** A sweep as the command line asks for it, checked before a device is opened. */
interface Sweep {
  selected: { layer: SweepLayer; structure: StructureSpec; strategies: Strategy[] }[];
  tokens: number[];
  /** the dtypes asked for; absent: every dtype the adapter has */
  dtypes?: DType[];
  reps: number;
  warmup: number;
  steps: boolean;
  quick: boolean;
  out?: string;
  deviceName?: string;
  dawn?: string;
  /** the units the products run on, where asked (by default the adapter's matrix units where it has them) */
  path: PathOptions;
  /** how to run it again, as the feed records it */
  command: string;
}

/** One point of a sweep: a layer at one token count and dtype, run with one strategy. */
interface SweepPoint {
  layer: SweepLayer;
  problem: Problem;
  strategy: Strategy;
}

export async function runBench(argv: string[], withEngine: WithEngine): Promise<number> {
  const sweep = parseSweep(argv);
  return withEngine(sweep.dawn, async (engine) => {
    const { device, points } = await prepare(engine, sweep);
    const feed = new FeedWriter(device, 'blr bench', sweep.out);
    for (const [i, point] of points.entries()) {
      const label = `[${i + 1}/${points.length}] ${pointLabel(point)}`;
      try {
        const plan = engine.plan(point.problem, point.strategy, sweep.path);
        if (plan.fallbackReason) {
          process.stderr.write(`${label}: skipped, ${plan.fallbackReason}\n`);
          continue;
        }
        const timing = await engine.time(point.problem, point.strategy, { warmup: sweep.warmup, reps: sweep.reps, steps: sweep.steps, ...sweep.path });
        const result = feedResult(device.id, point, timing, engine.cost(point.problem, point.strategy, sweep.path), sweep);
        // A result the schema refuses fails this point only.
        feed.add(result);
        process.stderr.write(`${label}: ${progressLine(result, timing)}\n`);
      } catch (e) {
        process.stderr.write(`${label}: failed, ${(e as Error).message}\n`);
      }
    }
    const text = feed.finish();
    if (sweep.out) process.stderr.write(`wrote ${feed.count} results to ${sweep.out}\n`);
    else process.stdout.write(text);
    return 0;
  });
}

function parseSweep(argv: string[]): Sweep {
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
  const selected = layers.flatMap((layer) => layer.structures
    .filter((structure) => !structureFilter || structureFilter.includes(structure.kind))
    .map((structure) => ({ layer, structure, strategies: STRATEGIES[structure.kind].filter((s) => !strategyFilter || strategyFilter.includes(s)) }))
    .filter(({ strategies }) => strategies.length > 0));
  if (!selected.length) throw new UsageError('no point to time: no structure of these layers has a strategy that --structures and --strategies allow');
  return {
    selected,
    tokens,
    dtypes: v.dtype ? (v.dtype as string).split(',').map((d) => parseChoice<DType>('dtype', d, DTYPES)) : undefined,
    reps,
    warmup,
    steps: Boolean(v.steps),
    quick: Boolean(v.quick),
    out: v.out as string | undefined,
    deviceName: v['device-name'] as string | undefined,
    dawn: v.dawn as string | undefined,
    path: parsePath(v),
    command: recordedCommand(argv),
  };
}

/** The adapter and its measured ceilings as the feed's device, and the points it can run. */
async function prepare(engine: Engine, sweep: Sweep): Promise<{ device: FeedDevice; points: SweepPoint[] }> {
  const summary = engine.summary();
  const dtypes = (sweep.dtypes ?? summary.dtypes).filter((d) => {
    if (summary.dtypes.includes(d)) return true;
    process.stderr.write(`skipping ${d}: this adapter has no shader-f16\n`);
    return false;
  });
  process.stderr.write(`adapter: ${summary.description || summary.device} (${summary.vendor} ${summary.architecture})\nmeasuring roofline ceilings…\n`);
  const ceilings = await engine.roofline({ quick: sweep.quick });
  // The feed's units: GB/s and GFLOP/s.
  const measured = feedMeasured(ceilings);
  process.stderr.write(`copy ${measured.bandwidthGBs!.toFixed(1)} GB/s, f32 ${measured.f32GFlops!.toFixed(0)} GFLOP/s${measured.f16GFlops ? `, f16 ${measured.f16GFlops.toFixed(0)} GFLOP/s` : ''} (${ceilings.timer})\n`);

  const points: SweepPoint[] = [];
  for (const { layer, structure, strategies } of sweep.selected)
    for (const dtype of dtypes)
      for (const strategy of strategies)
        for (const T of sweep.tokens) points.push({ layer, problem: { shape: { m: layer.m, n: layer.n, tokens: T }, structure, dtype }, strategy });

  // Vulkan adapters often describe only the driver (NVIDIA: "NVIDIA: 580.…"): --device-name
  // gives the GPU's name so results line up with other feeds' rows for the same GPU.
  const deviceName = sweep.deviceName ?? (summary.description || summary.device || 'unknown adapter');
  const device: FeedDevice = {
    id: deviceIdOf(deviceName),
    name: deviceName,
    kind: summary.isFallbackAdapter ? 'cpu' : 'unknown',
    measured,
    adapter: { vendor: summary.vendor, architecture: summary.architecture, description: summary.description },
  };
  return { device, points };
}

function pointLabel({ layer, problem, strategy }: SweepPoint): string {
  return `${layer.preset ?? 'custom'} ${layer.layer ?? `${layer.m}x${layer.n}`} ${problem.structure.kind} ${strategy} ${problem.dtype} T=${problem.shape.tokens}`;
}

/** A point's timing as a feed result, with the cost model's bytes and FLOPs of the dispatches that ran beside it. */
function feedResult(deviceId: string, { layer, problem, strategy }: SweepPoint, t: TimingResult, cost: StrategyCost, sweep: Sweep): FeedResult {
  const seconds = t.medianMs / 1e3;
  return {
    device: deviceId,
    ...(layer.preset ? { preset: layer.preset, layer: layer.layer } : {}),
    shape: problem.shape,
    structure: problem.structure,
    strategy,
    implementation: 'wgsl-dawn',
    path: t.plan.path ?? 'fma',
    dtype: problem.dtype,
    latency: { medianMs: t.medianMs, p10Ms: t.p10Ms, p90Ms: t.p90Ms, samples: t.samples, runsPerSample: t.runsPerSample, timerResolutionMs: t.resolutionMs },
    ...(t.steps ? { steps: t.steps } : {}),
    bytes: cost.bytes,
    flops: cost.flops,
    achievedGBs: cost.bytes / seconds / 1e9,
    achievedGFlops: cost.flops / seconds / 1e9,
    provenance: {
      kind: 'blr-bench',
      source: `blr bench, ${t.timer} in ${describeSampling(t)}, median of ${t.samples} samples after ${sweep.warmup} warm-up`,
      command: sweep.command,
    },
  };
}

/** e.g. '0.0123 ms (p10 …, p90 …), 812.3 GB/s, 1650 GFLOP/s on matrix; timer 100 µs steps, 64 runs a sample; alone: …' */
function progressLine(result: FeedResult, t: TimingResult): string {
  const alone = t.steps
    ? `; alone: ${t.steps.map((s) => `${s.name} ${s.medianMs.toFixed(4)}`).join(', ')} ms (runs a sample: ${t.steps.map((s) => s.runsPerSample).join(', ')})`
    : '';
  return (
    `${t.medianMs.toFixed(4)} ms (p10 ${t.p10Ms.toFixed(4)}, p90 ${t.p90Ms.toFixed(4)}), ` +
    `${result.achievedGBs!.toFixed(1)} GB/s, ${result.achievedGFlops!.toFixed(0)} GFLOP/s on ${result.path}; timer ${describeSampling(t)}${alone}`
  );
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
