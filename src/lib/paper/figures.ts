/**
 * The data behind the paper's Figs. 3, 4, 8 and 9, redrawn from our sources: each figure's rows
 * (what its chart draws and its CSV holds) from a feed device, this GPU or the cost model.
 */
import { attainableFlops, rooflineBoundS } from '../cost/roofline';
import { strategyCost } from '../cost/strategy-cost';
import type { DeviceCeilings, PeakDType } from '../cost/ceilings';
import type { Strategy } from '../structures/types';
import { endToEndSums, pointAt } from './claims';
import { toCsv, type Cell } from './csv';
import { BLAST_BASELINE, BLAST_PARTIAL, BLAST_PERM_FUSED, DENSE, LOWRANK, MONARCH_BASELINE, MONARCH_OPTIMISED, kernelLabel, structuredKernels, type Kernel } from './kernels';
import { PAPER_MODELS, layerWiseLayers, modelLayers, paperModel, paperSpec } from './models';
import { hasStrategy, pairOf, type ResultSource } from './sources';

export interface FigureTable {
  header: string[];
  rows: Cell[][];
}

export const csvOf = (t: FigureTable) => toCsv(t.header, t.rows);

// ---------------------------------------------------------------------------------------------
// Fig. 3: Llama-7B layers, runtime relative to dense, one token against many, PyTorch baselines

export const FIG3_KERNELS: readonly Kernel[] = [LOWRANK, MONARCH_BASELINE, BLAST_BASELINE];
export const FIG3_TOKENS = { single: 1, multi: 1024 } as const;

export interface Fig3Bar {
  panel: 'single' | 'multi';
  tokens: number;
  layer: string;
  kernel: Kernel;
  ms: number;
  denseMs: number;
  /** its runtime ÷ dense's (the paper's y axis) */
  relative: number;
}

export function fig3(source: ResultSource): Fig3Bar[] {
  const bars: Fig3Bar[] = [];
  for (const panel of ['single', 'multi'] as const) {
    const tokens = FIG3_TOKENS[panel];
    for (const l of modelLayers(paperModel('llama-7b')!)) {
      for (const kernel of FIG3_KERNELS) {
        const a = pointAt(l, kernel, tokens);
        const d = pointAt(l, DENSE, tokens);
        const pair = a && d && pairOf(source, a, d);
        if (pair) bars.push({ panel, tokens, layer: l.replaced.paperName, kernel, ms: pair[0], denseMs: pair[1], relative: pair[0] / pair[1] });
      }
    }
  }
  return bars;
}

export function fig3Table(source: ResultSource, bars: Fig3Bar[]): FigureTable {
  return {
    header: ['source', 'tokens', 'layer', 'kernel', 'structure', 'strategy', 'runtime_ms', 'dense_ms', 'runtime_relative_to_dense'],
    rows: bars.map((b) => [source.label, b.tokens, b.layer, kernelLabel(b.kernel), b.kernel.kind, b.kernel.strategy, b.ms, b.denseMs, b.relative]),
  };
}

// ---------------------------------------------------------------------------------------------
// Fig. 4: the roofline of Q/K/V/Oproj at 1024 tokens and each method's ideal runtime

/** The paper's four methods (αD, αLR, αM, αB), then our optimised kernels. */
export const FIG4_KERNELS: readonly Kernel[] = [DENSE, LOWRANK, MONARCH_BASELINE, BLAST_BASELINE, MONARCH_OPTIMISED, BLAST_PARTIAL, BLAST_PERM_FUSED];

export interface Fig4Point {
  kernel: Kernel;
  /** one of the paper's four points (the baselines and dense) */
  paper: boolean;
  flops: number;
  bytes: number;
  intensity: number;
  /** FLOP/s the roof allows at its intensity */
  attainable: number;
  /** max(bytes / bandwidth, FLOPs / peak) */
  idealMs: number;
  bound: 'memory' | 'compute';
}

/** Fig. 4's points under the roof of `ceilings` with the peak of `peak`. */
export function fig4(ceilings: DeviceCeilings, peak: PeakDType, tokens = 1024): Fig4Point[] {
  const l = modelLayers(paperModel('llama-7b')!).find((x) => x.replaced.layer === 'qkvo_proj')!;
  const points: Fig4Point[] = [];
  for (const kernel of FIG4_KERNELS) {
    const structure = paperSpec(l, kernel.kind);
    if (!structure || !hasStrategy(structure, kernel.strategy)) continue;
    const cost = strategyCost({ shape: { m: l.preset.m, n: l.preset.n, tokens }, structure, dtype: 'f16' }, kernel.strategy as Strategy);
    const attainable = attainableFlops(cost.intensity, ceilings, peak);
    points.push({
      kernel,
      paper: FIG4_KERNELS.indexOf(kernel) < 4,
      flops: cost.flops,
      bytes: cost.bytes,
      intensity: cost.intensity,
      attainable,
      idealMs: rooflineBoundS(cost, ceilings, peak) * 1e3,
      bound: attainable < (ceilings.flopsPerS[peak] ?? Infinity) ? 'memory' : 'compute',
    });
  }
  return points;
}

export function fig4Table(roofLabel: string, ceilings: DeviceCeilings, peak: PeakDType, points: Fig4Point[]): FigureTable {
  return {
    header: ['roof', 'bandwidth_bytes_per_s', 'peak_flops_per_s', 'kernel', 'structure', 'strategy', 'flops', 'bytes', 'intensity_flop_per_byte', 'attainable_flops_per_s', 'ideal_runtime_ms', 'bound'],
    rows: points.map((p) => [roofLabel, ceilings.bytesPerS ?? '', ceilings.flopsPerS[peak] ?? '', kernelLabel(p.kernel), p.kernel.kind, p.kernel.strategy, p.flops, p.bytes, p.intensity, p.attainable, p.idealMs, p.bound]),
  };
}

// ---------------------------------------------------------------------------------------------
// Fig. 8: layer-wise speedup over dense, per model, every kernel we have

export interface Fig8Bar {
  model: string;
  layer: string;
  tokens: number;
  kernel: Kernel;
  ms: number;
  denseMs: number;
  /** dense's runtime ÷ its runtime */
  speedup: number;
}

export function fig8(source: ResultSource, preset: string): Fig8Bar[] {
  const model = paperModel(preset);
  if (!model) return [];
  const bars: Fig8Bar[] = [];
  for (const l of layerWiseLayers(model)) {
    for (const kernel of structuredKernels()) {
      const a = pointAt(l, kernel);
      const d = pointAt(l, DENSE);
      const pair = a && d && pairOf(source, a, d);
      if (pair) bars.push({ model: model.name, layer: l.replaced.paperName, tokens: l.tokens, kernel, ms: pair[0], denseMs: pair[1], speedup: pair[1] / pair[0] });
    }
  }
  return bars;
}

export function fig8Table(source: ResultSource, bars: Fig8Bar[]): FigureTable {
  return {
    header: ['source', 'model', 'layer', 'tokens', 'kernel', 'structure', 'strategy', 'runtime_ms', 'dense_ms', 'speedup_over_dense'],
    rows: bars.map((b) => [source.label, b.model, b.layer, b.tokens, kernelLabel(b.kernel), b.kernel.kind, b.kernel.strategy, b.ms, b.denseMs, b.speedup]),
  };
}

// ---------------------------------------------------------------------------------------------
// Fig. 9: end to end, a model's replaced layers summed (Table 3: which, how many of each)

export interface Fig9Bar {
  source: ResultSource;
  model: string;
  kernel: Kernel;
  /** Σ count × latency over the replaced layers */
  ms: number;
  denseMs: number;
  speedup: number;
}

export function fig9(sources: ResultSource[], preset: string): Fig9Bar[] {
  const model = paperModel(preset);
  if (!model) return [];
  const bars: Fig9Bar[] = [];
  for (const source of sources) {
    for (const kernel of structuredKernels()) {
      const sums = endToEndSums(preset, kernel, DENSE, source);
      if (sums === null || sums === 'excluded') continue;
      bars.push({ source, model: model.name, kernel, ms: sums.top, denseMs: sums.bottom, speedup: sums.bottom / sums.top });
    }
  }
  return bars;
}

export function fig9Table(bars: Fig9Bar[]): FigureTable {
  return {
    header: ['source', 'model', 'kernel', 'structure', 'strategy', 'replaced_layers_ms', 'dense_layers_ms', 'speedup_over_dense'],
    rows: bars.map((b) => [b.source.label, b.model, kernelLabel(b.kernel), b.kernel.kind, b.kernel.strategy, b.ms, b.denseMs, b.speedup]),
  };
}

/** Models with a Table 3 entry, for the figures' model pickers. */
export const FIGURE_MODELS = PAPER_MODELS.map((m) => ({ preset: m.preset, name: m.name }));
