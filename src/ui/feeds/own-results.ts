/** This session's own GPU timings (Run one point, sweeps) as feed rows, so they sit in the comparison beside the feeds'. */
import type { DeviceCeilings } from '../../lib/cost/ceilings';
import { feedMeasured, type MergedDevice, type MergedResult } from '../../lib/feed';
import type { KernelPath } from '../../lib/gpu/types';
import type { DType, LayerShape, Strategy, StructureSpec } from '../../lib/structures/types';
import type { LayerQuery } from './compare';

export const OWN_DEVICE_ID = 'this-gpu';
export const OWN_ORIGIN = 'this session';

/** The device row for this GPU: its name and, once measured, its ceilings. */
export function ownDevice(name: string, ceilings: DeviceCeilings | null): MergedDevice {
  const measured = ceilings && feedMeasured(ceilings);
  return { id: OWN_DEVICE_ID, feedId: OWN_DEVICE_ID, origin: OWN_ORIGIN, name, kind: 'unknown', ...(measured ? { measured } : {}) };
}

/**
 * The layer's results from the store's timings, keyed by measurementKey
 * (`[shape, structure, dtype, strategy, path]` as JSON).
 */
export function ownResults(timings: Record<string, number>, q: LayerQuery): MergedResult[] {
  const out: MergedResult[] = [];
  for (const [key, ms] of Object.entries(timings)) {
    const [shape, structure, dtype, strategy, path] = JSON.parse(key) as [LayerShape, StructureSpec, DType, Strategy, KernelPath | undefined];
    if (shape.m !== q.m || shape.n !== q.n || !(ms > 0)) continue;
    out.push({
      device: OWN_DEVICE_ID,
      ...(q.preset !== null && q.layer !== null ? { preset: q.preset, layer: q.layer } : {}),
      shape,
      structure,
      strategy,
      implementation: 'wgsl-browser',
      path: path ?? 'fma',
      dtype,
      latency: { medianMs: ms },
      provenance: { kind: 'other', source: 'timed in this page' },
      origin: OWN_ORIGIN,
    });
  }
  return out;
}
