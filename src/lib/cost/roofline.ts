/**
 * Roofline math (the paper's roofline.py: perf = min(bw·AI, peak), runtime = flops/perf) on a
 * device's ceilings at one dtype. A figure the ceilings lack bounds nothing: its term drops out.
 */
import type { DeviceCeilings, PeakDType } from './ceilings';

const peakOf = (c: DeviceCeilings, dtype: PeakDType) => c.flopsPerS[dtype] || Infinity;
const bandwidthOf = (c: DeviceCeilings) => c.bytesPerS || Infinity;

/** FLOP/s reachable at `intensity` FLOPs per byte. */
export function attainableFlops(intensity: number, c: DeviceCeilings, dtype: PeakDType): number {
  return Math.min(bandwidthOf(c) * intensity, peakOf(c, dtype));
}

/** The intensity where the memory roof meets the compute roof, in FLOPs per byte. */
export function ridgeIntensity(c: DeviceCeilings, dtype: PeakDType): number {
  return peakOf(c, dtype) / bandwidthOf(c);
}

/**
 * Lower bound on run time, in seconds: max(bytes/bw, flops/peak) = flops / attainableFlops(intensity),
 * over the terms both the work and the ceilings have; 0 where none.
 */
export function rooflineBoundS(work: { bytes?: number; flops?: number }, c: DeviceCeilings, dtype: PeakDType): number {
  return Math.max(work.bytes !== undefined ? work.bytes / bandwidthOf(c) : 0, work.flops !== undefined ? work.flops / peakOf(c, dtype) : 0);
}
