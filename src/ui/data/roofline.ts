/**
 * What the roofline view draws: roof lines from measured ceilings, and each strategy at its
 * modelled intensity with the FLOP/s its measured time gives. A point above its roof is a bug
 * in the timing or the cost model, and is flagged as one.
 */
import type { DeviceCeilings, PeakDType } from '../../lib/cost/ceilings';
import { attainableFlops, ridgeIntensity } from '../../lib/cost/roofline';
import type { StrategyCost } from '../../lib/cost/types';
import type { MeasuredCeilings } from '../../lib/gpu/roofline';
import type { DType, Strategy } from '../../lib/structures/types';
import { logDomain } from './scales';
import type { DeviceMark } from '../charts/marks';

/** Measurements scatter: a point counts as above the roof only past this margin. */
export const ABOVE_ROOF_MARGIN = 1.1;

/** A roof to draw: a device's ceilings, with both the bandwidth and the peak of `dtype`. */
export interface Roof {
  id: string;
  label: string;
  ceilings: DeviceCeilings;
  /** the dtype whose peak is its flat top */
  dtype: PeakDType;
  /** a feed device's look; absent for this page's own GPU */
  mark?: DeviceMark;
}

export interface RooflinePoint {
  id: string;
  label: string;
  intensity: number;
  /** FLOP/s from the measured time; absent until measured */
  flopsPerS?: number;
  /** what the roof allows at this intensity; absent without ceilings */
  attainable?: number;
  aboveRoof: boolean;
}

/** The roof of a measured adapter for a dtype: the f16 peak where measured, else f32's. */
export function measuredRoof(m: MeasuredCeilings, dtype: DType): Roof {
  const peak = dtype === 'f16' && m.flopsPerS.f16 ? 'f16' : 'f32';
  return { id: 'measured', label: `this GPU (${peak} peak)`, ceilings: m, dtype: peak };
}

/** The roof's flat top, FLOP/s (NaN where the ceilings lack the peak). */
export const roofPeak = (r: Roof): number => r.ceilings.flopsPerS[r.dtype] ?? NaN;

/** Polyline of a roof over [lo, hi] FLOP/byte: the memory slope, the ridge, the flat top. */
export function roofPolyline(r: Roof, [lo, hi]: [number, number]): [number, number][] {
  const ridge = ridgeIntensity(r.ceilings, r.dtype);
  const pts: [number, number][] = [[lo, attainableFlops(lo, r.ceilings, r.dtype)]];
  if (ridge > lo && ridge < hi) pts.push([ridge, roofPeak(r)]);
  pts.push([hi, attainableFlops(hi, r.ceilings, r.dtype)]);
  return pts;
}

/** A strategy the GPU could not run as asked: the plan ran another one instead. */
export interface Fallback {
  ran: Strategy;
  reason: string;
}

export interface MeasuredCost {
  id: string;
  label: string;
  cost: StrategyCost;
  /** median latency in ms, when measured */
  ms?: number;
  fallback?: Fallback;
}

export function rooflinePoints(items: MeasuredCost[], roof: Roof | null): RooflinePoint[] {
  return items.map(({ id, label, cost, ms }) => {
    const flopsPerS = ms !== undefined && ms > 0 ? cost.flops / (ms / 1e3) : undefined;
    const attainable = roof ? attainableFlops(cost.intensity, roof.ceilings, roof.dtype) : undefined;
    const aboveRoof = flopsPerS !== undefined && attainable !== undefined && flopsPerS > attainable * ABOVE_ROOF_MARGIN;
    return { id, label, intensity: cost.intensity, flopsPerS, attainable, aboveRoof };
  });
}

/** Log-axis domains wide enough for the roofs' ridges, every point and the roofs' left ends, in decades. */
export function rooflineDomains(points: RooflinePoint[], roofs: Roof[]): { x: [number, number]; y: [number, number] } {
  const x = logDomain([...points.map((p) => p.intensity), ...roofs.map((r) => ridgeIntensity(r.ceilings, r.dtype))], [0.1, 1000]);
  const ys = [
    ...points.flatMap((p) => [p.flopsPerS, p.attainable].filter((v): v is number => v !== undefined)),
    ...roofs.flatMap((r) => [roofPeak(r), attainableFlops(x[0], r.ceilings, r.dtype)]),
  ];
  return { x, y: logDomain(ys, [1e9, 1e14]) };
}
