/** Roofline math (the paper's roofline.py: perf = min(bw·AI, peak), runtime = flops/perf). */
import type { Ceilings, StrategyCost } from './types';

/** FLOP/s reachable at `intensity` FLOPs per byte. */
export function attainableFlops(intensity: number, c: Ceilings): number {
  return Math.min(c.bandwidthBytesPerS * intensity, c.flopsPerS);
}

/** The intensity where the memory roof meets the compute roof, in FLOPs per byte. */
export function ridgeIntensity(c: Ceilings): number {
  return c.flopsPerS / c.bandwidthBytesPerS;
}

/** Lower bound on run time, in seconds: max(bytes/bw, flops/peak) = flops / attainableFlops(intensity). */
export function rooflineBoundS(cost: StrategyCost, c: Ceilings): number {
  return Math.max(cost.bytes / c.bandwidthBytesPerS, cost.flops / c.flopsPerS);
}
