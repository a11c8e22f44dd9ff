/** What every part of the Paper view needs: the sources, and how to measure on this GPU. */
import { hasStrategy, type PointQuery, type ResultSource } from '../../../lib/paper/sources';
import type { Strategy } from '../../../lib/structures/types';
import type { GpuStatus, PointsRunStatus, PointToTime } from '../../store.svelte';

export interface PaperContext {
  /** this GPU's timings in the paper's dtype; null without WebGPU */
  own: ResultSource | null;
  /** the feeds' sources, then our cost model */
  others: ResultSource[];
  gpu: GpuStatus;
  busy: boolean;
  run: PointsRunStatus;
  onmeasure: (points: PointToTime[], label: string) => void;
  oncancel: () => void;
}

/** This GPU first (where there is one), then the others. */
export const allSources = (ctx: PaperContext): ResultSource[] => [...(ctx.own ? [ctx.own] : []), ...ctx.others];

/** The points this GPU can still time: this build has their kernel, and they are not timed yet. */
export function pointsToTime(points: PointQuery[], own: ResultSource | null): PointToTime[] {
  const seen = new Set<string>();
  const out: PointToTime[] = [];
  for (const p of points) {
    const key = JSON.stringify([p.shape, p.structure, p.strategy]);
    if (seen.has(key) || !hasStrategy(p.structure, p.strategy) || (own && own.timings(p).length)) continue;
    seen.add(key);
    out.push({ shape: p.shape, structure: p.structure, strategy: p.strategy as Strategy });
  }
  return out;
}
