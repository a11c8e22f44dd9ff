/**
 * Measured roofline ceilings kept in localStorage per adapter, so the roofline shows at once on
 * the next visit; a re-measure replaces the entry. Entries are stored in SI units (B/s, FLOP/s);
 * an entry of the earlier form (GB/s and GFLOP/s) is still read, and converted.
 */
import type { MeasuredCeilings } from '../../lib/gpu/roofline';
import type { AdapterSummary } from '../../lib/gpu/types';

export interface CachedCeilings extends MeasuredCeilings {
  /** ISO time of the measurement */
  measuredAt: string;
}

const PREFIX = 'blr-playground/ceilings/v2/';
/** The earlier form's key: { bandwidthGBs, f32GFlops, f16GFlops?, timer, measuredAt } */
const PREFIX_V1 = 'blr-playground/ceilings/v1/';

const adapterId = (s: AdapterSummary) => [s.vendor, s.architecture, s.device, s.description].join('|');

export function adapterKey(s: AdapterSummary): string {
  return PREFIX + adapterId(s);
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function parse(text: string | null): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text ?? 'null');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The entry's ceilings in SI units: an SI entry as it is, an earlier one converted from GB/s and GFLOP/s. */
function ceilingsOf(c: Record<string, unknown>, si: boolean): { bytesPerS: unknown; f32: unknown; f16: unknown } {
  if (si) {
    const flops = (typeof c.flopsPerS === 'object' && c.flopsPerS !== null ? c.flopsPerS : {}) as Record<string, unknown>;
    return { bytesPerS: c.bytesPerS, f32: flops.f32, f16: flops.f16 };
  }
  const times = (v: unknown, unit: number) => (typeof v === 'number' ? v * unit : v);
  return { bytesPerS: times(c.bandwidthGBs, 1e9), f32: times(c.f32GFlops, 1e9), f16: times(c.f16GFlops, 1e9) };
}

/** The cached ceilings for an adapter; null when absent or not a well-formed entry. */
export function loadCeilings(storage: Pick<Storage, 'getItem'>, s: AdapterSummary): CachedCeilings | null {
  const current = parse(storage.getItem(PREFIX + adapterId(s)));
  const c = current ?? parse(storage.getItem(PREFIX_V1 + adapterId(s)));
  if (!c) return null;
  const { bytesPerS, f32, f16 } = ceilingsOf(c, current !== null);
  if (!positive(bytesPerS) || !positive(f32) || typeof c.measuredAt !== 'string') return null;
  if (c.timer !== 'timestamp-query' && c.timer !== 'cpu-submit') return null;
  return { bytesPerS, flopsPerS: { f32, ...(positive(f16) ? { f16 } : {}) }, timer: c.timer, measuredAt: c.measuredAt };
}

export function saveCeilings(storage: Pick<Storage, 'setItem'>, s: AdapterSummary, c: CachedCeilings): void {
  const { bytesPerS, flopsPerS, timer, measuredAt } = c;
  try {
    storage.setItem(adapterKey(s), JSON.stringify({ bytesPerS, flopsPerS, timer, measuredAt }));
  } catch {
    // Storage full or blocked: the measurement still shows, it is just not remembered.
  }
}
