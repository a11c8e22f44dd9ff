/**
 * A feed device's ceilings, between the feed's units and the project's: a feed gives measured
 * figures in GB/s (1e9 B/s) and GFLOP/s, datasheet peaks in GiB/s (2^30 B/s, as the paper's
 * device.py) and FLOP/s; everything past this file holds DeviceCeilings, in B/s and FLOP/s.
 */
import type { DeviceCeilings, PeakDType } from '../cost/ceilings';
import type { FeedDevice } from './schema';

const GB = 1e9;
const GIB = 2 ** 30;
const GFLOP = 1e9;

/** What the feed measured on the device (`measured`), in SI units; null where it measured nothing. */
export function measuredCeilings(d: FeedDevice): DeviceCeilings | null {
  const m = d.measured;
  if (!m || (!m.bandwidthGBs && !m.f32GFlops && !m.f16GFlops)) return null;
  return {
    ...(m.bandwidthGBs ? { bytesPerS: m.bandwidthGBs * GB } : {}),
    flopsPerS: { ...(m.f32GFlops ? { f32: m.f32GFlops * GFLOP } : {}), ...(m.f16GFlops ? { f16: m.f16GFlops * GFLOP } : {}) },
  };
}

/** The device's datasheet peaks (`peakBandwidthGiBs`, `peakFlops`), in SI units; null where it gives none. */
export function peakCeilings(d: FeedDevice): DeviceCeilings | null {
  const flopsPerS = Object.fromEntries(Object.entries(d.peakFlops ?? {}).filter(([, v]) => v)) as DeviceCeilings['flopsPerS'];
  if (!d.peakBandwidthGiBs && Object.keys(flopsPerS).length === 0) return null;
  return { ...(d.peakBandwidthGiBs ? { bytesPerS: d.peakBandwidthGiBs * GIB } : {}), flopsPerS };
}

/** Ceilings as a feed device's `measured` field (GB/s and GFLOP/s), for a feed this project writes. */
export function feedMeasured(c: DeviceCeilings): NonNullable<FeedDevice['measured']> {
  const { f32, f16 } = c.flopsPerS;
  return {
    ...(c.bytesPerS ? { bandwidthGBs: c.bytesPerS / GB } : {}),
    ...(f32 ? { f32GFlops: f32 / GFLOP } : {}),
    ...(f16 ? { f16GFlops: f16 / GFLOP } : {}),
  };
}

/** The ceilings a device's results at one dtype are held against, and where they come from. */
export interface DeviceRoof {
  /** at most the bandwidth and this dtype's peak */
  ceilings: DeviceCeilings;
  /** "measured 1420 GB/s, peak 149.7 TFLOP/s bf16", in the feed's own units, for the legend */
  basis: string;
}

const round = (v: number) => String(Number(v.toPrecision(4)));

/**
 * The device's measured ceilings where the feed has them, else its datasheet peaks, figure by
 * figure. bf16 has no measured figure (blr roofline measures f32 and f16 through WebGPU), so
 * only its peak counts.
 */
export function deviceRoof(d: FeedDevice, dtype: PeakDType): DeviceRoof {
  const measured = measuredCeilings(d);
  const peak = peakCeilings(d);
  const bytesPerS = measured?.bytesPerS ?? peak?.bytesPerS;
  const flops = measured?.flopsPerS[dtype] ?? peak?.flopsPerS[dtype];
  const bwBasis = measured?.bytesPerS
    ? `measured ${round(d.measured!.bandwidthGBs!)} GB/s`
    : peak?.bytesPerS
      ? `peak ${round(d.peakBandwidthGiBs!)} GiB/s`
      : 'no bandwidth figure';
  const flopsBasis = measured?.flopsPerS[dtype]
    ? `measured ${round(measured.flopsPerS[dtype] / 1e12)} TFLOP/s ${dtype}`
    : peak?.flopsPerS[dtype]
      ? `peak ${round(peak.flopsPerS[dtype] / 1e12)} TFLOP/s ${dtype}`
      : `no ${dtype} FLOP/s figure (memory term only)`;
  return { ceilings: { ...(bytesPerS ? { bytesPerS } : {}), flopsPerS: flops ? { [dtype]: flops } : {} }, basis: `${bwBasis}, ${flopsBasis}` };
}
