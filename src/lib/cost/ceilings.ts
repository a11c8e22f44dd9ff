/**
 * A device's ceilings, the one form they take inside the project: SI units, bytes per second and
 * FLOP/s. Other units exist only at the edges: a feed's GB/s, GiB/s and GFLOP/s fields
 * (src/lib/feed/ceilings.ts reads and writes them), the page's localStorage cache
 * (src/ui/data/ceilings-cache.ts) and the figures shown (src/ui/data/format.ts).
 */

/** The dtypes a peak may be given for (bf16 only from a feed: WebGPU has no bf16). */
export type PeakDType = 'f32' | 'f16' | 'bf16';

export interface DeviceCeilings {
  /** memory bandwidth, bytes read + written per second; absent where unknown */
  bytesPerS?: number;
  /** arithmetic peak per dtype, FLOP/s, where known */
  flopsPerS: Partial<Record<PeakDType, number>>;
}

/** Both figures of a roof at `dtype`, where the ceilings have both; null where either is unknown. */
export function roofAt(c: DeviceCeilings, dtype: PeakDType): { bytesPerS: number; flopsPerS: number } | null {
  const flopsPerS = c.flopsPerS[dtype];
  return c.bytesPerS && flopsPerS ? { bytesPerS: c.bytesPerS, flopsPerS } : null;
}
