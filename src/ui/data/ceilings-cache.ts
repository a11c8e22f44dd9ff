/**
 * Measured roofline ceilings kept in localStorage per adapter, so the roofline shows at once on
 * the next visit; a re-measure replaces the entry.
 */
import type { AdapterSummary } from '../../lib/gpu/types';
import type { MeasuredRoofline } from '../../worker/protocol';

export interface CachedCeilings extends MeasuredRoofline {
  /** ISO time of the measurement */
  measuredAt: string;
}

const PREFIX = 'blr-playground/ceilings/v1/';

export function adapterKey(s: AdapterSummary): string {
  return PREFIX + [s.vendor, s.architecture, s.device, s.description].join('|');
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The cached ceilings for an adapter; null when absent or not a well-formed entry. */
export function loadCeilings(storage: Pick<Storage, 'getItem'>, s: AdapterSummary): CachedCeilings | null {
  let v: unknown;
  try {
    v = JSON.parse(storage.getItem(adapterKey(s)) ?? 'null');
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const c = v as Record<string, unknown>;
  if (!positive(c.bandwidthGBs) || !positive(c.f32GFlops) || typeof c.measuredAt !== 'string') return null;
  if (c.timer !== 'timestamp-query' && c.timer !== 'cpu-submit') return null;
  const out: CachedCeilings = { bandwidthGBs: c.bandwidthGBs, f32GFlops: c.f32GFlops, timer: c.timer, measuredAt: c.measuredAt };
  if (positive(c.f16GFlops)) out.f16GFlops = c.f16GFlops;
  return out;
}

export function saveCeilings(storage: Pick<Storage, 'setItem'>, s: AdapterSummary, c: CachedCeilings): void {
  try {
    storage.setItem(adapterKey(s), JSON.stringify(c));
  } catch {
    // Storage full or blocked: the measurement still shows, it is just not remembered.
  }
}
