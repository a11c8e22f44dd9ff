/**
 * What the timing view draws from a sweep: latency against tokens, one line per structure ×
 * strategy, and each structured line's speedup over dense at the same token counts.
 */
import { structureLabel } from '../../lib/structures/shapes';
import { type Strategy, type StructureSpec } from '../../lib/structures/types';
import { STRATEGIES } from '../../lib/structures/kinds';
import type { SweepConfig, SweepPoint } from '../../worker/protocol';
import type { DeviceMark } from '../charts/marks';

export interface XY {
  x: number;
  y: number;
}

export interface Series {
  id: string;
  label: string;
  /** `native`: a feed's kernel with no WGSL counterpart (cuBLAS, torch.compile) */
  strategy: Strategy | 'native';
  dense: boolean;
  points: XY[];
  /** a feed's line: its device's look and its group ("NVIDIA A40 · cost-model bf16"); absent for this page's own GPU */
  feed?: { mark: DeviceMark; group: string; kernel: string };
}

export function configLabel(structure: StructureSpec, strategy: Strategy): string {
  return `${structureLabel(structure)} · ${strategy}`;
}

const configId = (c: SweepConfig) => JSON.stringify([c.structure, c.strategy]);

/** The lines of a sweep: dense as the baseline, then every strategy of the chosen structure. */
export function sweepConfigs(structure: StructureSpec): SweepConfig[] {
  const dense: SweepConfig = { structure: { kind: 'dense' }, strategy: 'tiled' };
  if (structure.kind === 'dense') return [dense];
  return [dense, ...STRATEGIES[structure.kind].map((strategy) => ({ structure, strategy }))];
}

/** Median latency (ms) per config and tokens, from the points that have a timing. */
export function latencySeries(points: SweepPoint[]): Series[] {
  const byConfig = new Map<string, Series>();
  for (const p of points) {
    if (!p.timing || !(p.timing.medianMs > 0)) continue;
    // A strategy that did not fit the GPU ran another: its own line, saying so.
    const ran = p.timing.plan?.strategy ?? p.strategy;
    const id = configId(p) + (ran === p.strategy ? '' : `→${ran}`);
    let s = byConfig.get(id);
    if (!s) {
      const label = configLabel(p.structure, p.strategy) + (ran === p.strategy ? '' : ` (ran ${ran})`);
      s = { id, label, strategy: p.strategy, dense: p.structure.kind === 'dense', points: [] };
      byConfig.set(id, s);
    }
    s.points.push({ x: p.tokens, y: p.timing.medianMs });
  }
  for (const s of byConfig.values()) s.points.sort((a, b) => a.x - b.x);
  return [...byConfig.values()];
}

/** Dense latency over each structured line's latency, where both were measured (> 1 = faster). */
export function speedupSeries(latency: Series[]): Series[] {
  const dense = latency.find((s) => s.dense);
  if (!dense) return [];
  const denseMs = new Map(dense.points.map((p) => [p.x, p.y]));
  return latency
    .filter((s) => !s.dense)
    .map((s) => ({
      ...s,
      points: s.points.filter((p) => denseMs.has(p.x)).map((p) => ({ x: p.x, y: denseMs.get(p.x)! / p.y })),
    }))
    .filter((s) => s.points.length > 0);
}

/** Points that could not run, with why, for the list under the charts. */
export function failedPoints(points: SweepPoint[]): { label: string; tokens: number; error: string }[] {
  return points.filter((p) => p.error).map((p) => ({ label: configLabel(p.structure, p.strategy), tokens: p.tokens, error: p.error! }));
}
