/**
 * Where a layer's latency comes from when the page checks a claim or draws a figure: one feed
 * device's results of one implementation family and dtype, this GPU's own timings, or our cost
 * model at a roof. Each answers "how long does this kernel take on this layer?" the same way.
 */
import { shortName } from '../limits';
import { rooflineBoundS } from '../cost/roofline';
import { strategyCost } from '../cost/strategy-cost';
import type { DeviceCeilings, PeakDType } from '../cost/ceilings';
import { measuredCeilings, peakCeilings, type FeedDevice, type FeedDType, type Implementation, type MergedFeeds, type MergedResult } from '../feed';
import type { DType, LayerShape, Strategy, StructureSpec } from '../structures/types';
import { STRATEGIES } from '../structures/kinds';
import { knobsOf } from '../structures/knobs';
import { paperDeviceOf, type PaperDeviceId } from './devices';

/** One kernel on one layer at one token count. `strategy` is a name: a feed may know strategies this build has no kernel for. */
export interface PointQuery {
  shape: LayerShape;
  structure: StructureSpec;
  strategy: string;
}

/** A latency and the run it came from (one run's figures are compared with each other first). */
export interface Timed {
  ms: number;
  run: string;
}

export type SourceKind = 'this-gpu' | 'feed' | 'cost-model';

export interface ResultSource {
  id: string;
  /** e.g. "NVIDIA H200 · WGSL f32", "NVIDIA A40 · cost model bf16 (modelled)" */
  label: string;
  /** the label's two parts: the device ("NVIDIA H200", "This GPU (…)", "Our cost model") and the rest ("WGSL f32") */
  device: string;
  detail: string;
  /** the source in a sentence, after a verb: "on your GPU", "on the NVIDIA H200 (WGSL f32, measured)" */
  where: string;
  kind: SourceKind;
  /** a prediction of the cost model, never a measurement */
  modelled: boolean;
  /** why its numbers say nothing about real hardware, e.g. "software adapter: not representative" */
  caveat: string | null;
  /** the paper's GPU this source is, if it is one */
  paperDevice: PaperDeviceId | null;
  /** whether the source knows its device's roof (measured ceilings or datasheet peaks): a fuller record */
  roofKnown: boolean;
  dtype: string;
  /** every latency it has for the point, best first */
  timings(q: PointQuery): Timed[];
  /** the token counts it has for a layer shape, ascending; absent where any count works (a model) */
  tokens?(m: number, n: number): number[];
}

/** Implementations whose kernels are fairly compared with each other (compare.ts uses the same families). */
const FAMILY: Record<Implementation, { id: string; label: string }> = {
  'wgsl-dawn': { id: 'wgsl', label: 'WGSL' },
  'wgsl-browser': { id: 'wgsl', label: 'WGSL' },
  cublas: { id: 'torch', label: 'PyTorch' },
  'torch-eager': { id: 'torch', label: 'PyTorch' },
  'torch-compile': { id: 'torch', label: 'PyTorch' },
  'triton-paper': { id: 'torch', label: 'PyTorch' },
  'cost-model': { id: 'cost-model', label: 'cost model' },
};

/** "WGSL", "PyTorch", "cost model": the family an implementation's results are compared within. */
export function familyOf(implementation: Implementation): { id: string; label: string } {
  return FAMILY[implementation];
}

/** Knob order does not matter: `{rank, blocks}` and `{blocks, rank}` are one structure. */
export function structureKey(s: StructureSpec): string {
  return [s.kind, ...Object.entries(knobsOf(s)).map(([knob, v]) => `${knob[0]}${v}`)].join(' ');
}

export function pointKey(q: PointQuery): string {
  return `${q.shape.m}x${q.shape.n}@${q.shape.tokens}|${structureKey(q.structure)}|${q.strategy}`;
}

/** A source from rows already known (a feed group, this GPU's timings). */
export function rowsSource(meta: Omit<ResultSource, 'timings'>, rows: (PointQuery & Timed)[]): ResultSource {
  const index = new Map<string, Timed[]>();
  const tokens = new Map<string, Set<number>>();
  for (const r of rows) {
    if (!(r.ms > 0)) continue;
    const key = pointKey(r);
    index.set(key, [...(index.get(key) ?? []), { ms: r.ms, run: r.run }]);
    const shape = `${r.shape.m}x${r.shape.n}`;
    tokens.set(shape, (tokens.get(shape) ?? new Set()).add(r.shape.tokens));
  }
  return {
    ...meta,
    timings: (q) => index.get(pointKey(q)) ?? [],
    tokens: (m, n) => [...(tokens.get(`${m}x${n}`) ?? [])].sort((a, b) => a - b),
  };
}

/**
 * Which units a result's products ran on (`fma`, `matrix`, `emulated`), where the result says:
 * kernels on matrix units and on FMA units are different kernels to compare.
 */
function pathOf(r: MergedResult): string | null {
  const path = (r as { path?: unknown }).path;
  return typeof path === 'string' && path ? path : null;
}

/**
 * One source per feed device × implementation family × dtype (× path, where results give one), in feed order: a device's PyTorch
 * bf16 rows (cuBLAS dense, eager baselines, the paper's Triton kernels) are one source, its WGSL
 * f32 rows another.
 */
export function feedSources(merged: MergedFeeds): ResultSource[] {
  const groups = new Map<string, { device: FeedDevice; implementation: Implementation; dtype: FeedDType; path: string | null; rows: MergedResult[] }>();
  const devices = new Map(merged.devices.map((d) => [d.id, d]));
  for (const r of merged.results) {
    const device = devices.get(r.device);
    if (!device) continue;
    const path = pathOf(r);
    const id = `${r.device}|${FAMILY[r.implementation].id}|${r.dtype}${path ? `|${path}` : ''}`;
    const group = groups.get(id) ?? { device, implementation: r.implementation, dtype: r.dtype, path, rows: [] };
    group.rows.push(r);
    groups.set(id, group);
  }
  return [...groups.entries()].map(([id, g]) => {
    const modelled = g.implementation === 'cost-model';
    const family = `${FAMILY[g.implementation].label} ${g.dtype}${g.path ? ` ${g.path}` : ''}`;
    return rowsSource(
      {
        id: `feed:${id}`,
        label: `${shortName(g.device.name)} · ${family}${modelled ? ' (modelled)' : ''}`,
        device: shortName(g.device.name),
        detail: family,
        where: modelled ? `on the ${shortName(g.device.name)} as the paper's cost model predicts it (modelled, ${g.dtype})` : `on the ${shortName(g.device.name)} (${family}, measured)`,
        kind: 'feed',
        modelled,
        caveat: null,
        paperDevice: paperDeviceOf(g.device),
        roofKnown: !!(measuredCeilings(g.device)?.bytesPerS ?? peakCeilings(g.device)?.bytesPerS),
        dtype: g.dtype,
      },
      g.rows.map((r) => ({ shape: r.shape, structure: r.structure as StructureSpec, strategy: r.strategy, ms: r.latency.medianMs, run: `${r.origin}|${r.provenance.source}` })),
    );
  });
}

/** Whether this build's cost model and kernels know `strategy` for the structure. */
export function hasStrategy(structure: StructureSpec, strategy: string): boolean {
  return (STRATEGIES[structure.kind] as readonly string[]).includes(strategy);
}

/**
 * Our cost model at a roof: each kernel's roofline bound, max(bytes / bandwidth, FLOPs / peak),
 * as its latency. A strategy the cost model does not know has no latency.
 */
export function costModelSource(meta: { id: string; label: string; device: string; detail: string; where: string; caveat: string | null; paperDevice: PaperDeviceId | null; dtype: DType }, ceilings: DeviceCeilings, peak: PeakDType): ResultSource {
  return {
    ...meta,
    kind: 'cost-model',
    modelled: true,
    roofKnown: true,
    timings(q) {
      if (!hasStrategy(q.structure, q.strategy)) return [];
      try {
        const cost = strategyCost({ shape: q.shape, structure: q.structure, dtype: meta.dtype }, q.strategy as Strategy);
        return [{ ms: rooflineBoundS(cost, ceilings, peak) * 1e3, run: 'cost model' }];
      } catch {
        return [];
      }
    },
  };
}

/**
 * Latencies of two points from one run where the source has one run with both (a run's
 * figures compare fairly with each other), else the first of each; null where either is missing.
 */
export function pairOf(source: ResultSource, a: PointQuery, b: PointQuery): [number, number] | null {
  const ta = source.timings(a);
  const tb = source.timings(b);
  if (!ta.length || !tb.length) return null;
  for (const x of ta) {
    const y = tb.find((t) => t.run === x.run);
    if (y) return [x.ms, y.ms];
  }
  return [ta[0].ms, tb[0].ms];
}
