/**
 * The comparison table: every feed result (and this session's own timings) for one layer and
 * token count, with its speedup over that device's dense and the fraction of that device's
 * roofline bound it reaches, so an edge board and a datacentre GPU compare fairly.
 */
import { rooflineBoundS } from '../../lib/cost/roofline';
import { strategyCost } from '../../lib/cost/strategy-cost';
import { deviceRoof, FEED_STRATEGIES, IMPLEMENTATIONS, type DeviceRoof, type FeedDType, type Implementation, type MergedDevice, type MergedResult } from '../../lib/feed';
import { structureLabel } from '../../lib/structures/shapes';
import { type StructureSpec } from '../../lib/structures/types';
import { STRUCTURE_KINDS } from '../../lib/structures/kinds';

export interface LayerQuery {
  /** null for a custom shape: results then match on m and n alone */
  preset: string | null;
  layer: string | null;
  m: number;
  n: number;
}

/** The results for a layer: by preset and layer id where the experiment has them, else by shape. */
export function layerResults(results: MergedResult[], q: LayerQuery): MergedResult[] {
  if (q.preset !== null && q.layer !== null) return results.filter((r) => r.preset === q.preset && r.layer === q.layer);
  return results.filter((r) => r.shape.m === q.m && r.shape.n === q.n);
}

/** Token counts present among `results`, ascending. */
export function tokenChoices(results: MergedResult[]): number[] {
  return [...new Set(results.map((r) => r.shape.tokens))].sort((a, b) => a - b);
}

/** The token count to show: the experiment's when present, else the nearest present. */
export function nearestTokens(choices: number[], wanted: number): number | null {
  if (!choices.length) return null;
  return choices.reduce((best, t) => (Math.abs(Math.log(t / wanted)) < Math.abs(Math.log(best / wanted)) ? t : best));
}

/** max(bytes / bandwidth, flops / peak) in ms over the terms the roof has; null with neither. */
export function roofBoundMs(bytes: number | undefined, flops: number | undefined, roof: DeviceRoof, dtype: FeedDType): number | null {
  const bound = rooflineBoundS({ bytes, flops }, roof.ceilings, dtype);
  return bound > 0 ? bound * 1e3 : null;
}

/** Bytes and FLOPs of a result: its own, else our cost model's (bf16 moves as many bytes as f16). */
export function resultWork(r: MergedResult): { bytes?: number; flops?: number } {
  if (r.bytes !== undefined && r.flops !== undefined) return { bytes: r.bytes, flops: r.flops };
  if (r.strategy === 'native') return { ...(r.flops !== undefined ? { flops: r.flops } : {}) };
  try {
    const cost = strategyCost({ shape: r.shape, structure: r.structure, dtype: r.dtype === 'f32' ? 'f32' : 'f16' }, r.strategy);
    return { bytes: r.bytes ?? cost.bytes, flops: r.flops ?? cost.flops };
  } catch {
    return { ...(r.flops !== undefined ? { flops: r.flops } : {}) };
  }
}

/** Implementations whose dense is the fair reference for each other. */
const FAMILY: Record<Implementation, string> = {
  'wgsl-dawn': 'wgsl',
  'wgsl-browser': 'wgsl',
  cublas: 'torch',
  'torch-eager': 'torch',
  'torch-compile': 'torch',
  'triton-paper': 'torch',
  'cost-model': 'cost-model',
};

/**
 * The dense result a row's speedup is measured against: on the same device, preferring the same
 * implementation family, then the same dtype, then the same source (one run's figures together).
 */
export function denseReference(r: MergedResult, candidates: MergedResult[]): MergedResult | null {
  return denseReferences(candidates)(r);
}

/**
 * denseReference for many rows: the candidates' dense results indexed by device once, so a
 * table of k rows costs k times the device's dense results, not k².
 */
export function denseReferences(candidates: MergedResult[]): (r: MergedResult) => MergedResult | null {
  const byDevice = new Map<string, MergedResult[]>();
  for (const c of candidates) {
    if (c.structure.kind !== 'dense') continue;
    const list = byDevice.get(c.device);
    if (list) list.push(c);
    else byDevice.set(c.device, [c]);
  }
  return (r) => {
    const score = (c: MergedResult) =>
      (FAMILY[c.implementation] === FAMILY[r.implementation] ? 4 : 0) + (c.dtype === r.dtype ? 2 : 0) + (c.provenance.source === r.provenance.source ? 1 : 0);
    return (byDevice.get(r.device) ?? []).reduce<MergedResult | null>((best, c) => (best === null || score(c) > score(best) ? c : best), null);
  };
}

export interface CompareRow {
  key: string;
  /** the device's name */
  device: string;
  /** the merged device's id: unique, so two devices of one name (two feeds) stay apart */
  deviceId: string;
  /** the feed the device comes from */
  deviceOrigin: string;
  implementation: Implementation;
  /** a cost-model prediction, never a measurement */
  modelled: boolean;
  structure: string;
  strategy: string;
  dtype: FeedDType;
  ms: number;
  /** dense ms over this row's ms */
  speedup: number | null;
  /** what the speedup is against, e.g. "cublas dense bf16"; "itself" for the reference row */
  reference: string;
  /** roofline bound over the latency: 1 = at the roof */
  roofFraction: number | null;
  source: string;
  origin: string;
}

export interface RoofNote {
  /** `deviceId|dtype`, unique */
  key: string;
  device: string;
  dtype: FeedDType;
  basis: string;
}

const structureOrder = (s: StructureSpec) => STRUCTURE_KINDS.indexOf(s.kind);

/**
 * Rows for one token count, ordered by device (feed order), implementation, structure, strategy,
 * dtype: the first `limit` of `total` (a table shows what fits a screen, whatever the feeds hold).
 */
export function compareRows(devices: MergedDevice[], results: MergedResult[], limit = Infinity): { rows: CompareRow[]; roofs: RoofNote[]; total: number } {
  const deviceIndex = new Map(devices.map((d, i) => [d.id, i]));
  const sorted = [...results].sort(
    (a, b) =>
      (deviceIndex.get(a.device) ?? 0) - (deviceIndex.get(b.device) ?? 0) ||
      IMPLEMENTATIONS.indexOf(a.implementation) - IMPLEMENTATIONS.indexOf(b.implementation) ||
      structureOrder(a.structure) - structureOrder(b.structure) ||
      FEED_STRATEGIES.indexOf(a.strategy) - FEED_STRATEGIES.indexOf(b.strategy) ||
      a.dtype.localeCompare(b.dtype),
  );
  const roofs = new Map<string, RoofNote & { roof: DeviceRoof }>();
  const referenceOf = denseReferences(results);
  const rows = sorted.slice(0, limit).map((r, i): CompareRow => {
    const device = devices[deviceIndex.get(r.device) ?? -1];
    const roofKey = `${r.device}|${r.dtype}`;
    if (device && !roofs.has(roofKey)) {
      const roof = deviceRoof(device, r.dtype);
      roofs.set(roofKey, { key: roofKey, device: device.name, dtype: r.dtype, basis: roof.basis, roof });
    }
    const roof = roofs.get(roofKey)?.roof;
    const { bytes, flops } = resultWork(r);
    const bound = roof ? roofBoundMs(bytes, flops, roof, r.dtype) : null;
    const ref = referenceOf(r);
    return {
      key: `${i}`,
      device: device?.name ?? r.device,
      deviceId: r.device,
      deviceOrigin: device?.origin ?? r.origin,
      implementation: r.implementation,
      modelled: r.implementation === 'cost-model',
      structure: structureLabel(r.structure),
      strategy: r.strategy,
      dtype: r.dtype,
      ms: r.latency.medianMs,
      speedup: ref ? ref.latency.medianMs / r.latency.medianMs : null,
      reference: ref === null ? 'no dense result' : ref === r ? 'itself' : `${ref.implementation} dense ${ref.dtype}`,
      roofFraction: bound === null ? null : bound / r.latency.medianMs,
      source: r.provenance.source,
      origin: r.origin,
    };
  });
  return { rows, roofs: [...roofs.values()].map(({ key, device, dtype, basis }) => ({ key, device, dtype, basis })), total: results.length };
}
