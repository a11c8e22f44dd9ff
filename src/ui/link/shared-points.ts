/**
 * The results a link carries, both ways: this session's measurements as snapshot points, and a
 * snapshot's points as chart lines.
 */
import type { AdapterSummary } from '../../lib/gpu/types';
import type { Snapshot, SnapshotPoint } from '../../lib/share/snapshot';
import { knobsOf, specFrom } from '../../lib/structures/knobs';
import type { Problem, Strategy, StructureSpec } from '../../lib/structures/types';
import { configLabel, type Series } from '../data/timing';

/**
 * Points of the store's `timings` (keyed by measurementKey: the JSON of
 * [shape, structure, dtype, strategy]), in a stable order so the same session gives the same link.
 */
export function measuredPoints(timings: Record<string, number>): SnapshotPoint[] {
  const points = Object.entries(timings).map(([key, medianMs]) => {
    const [shape, structure, dtype, strategy] = JSON.parse(key) as [Problem['shape'], StructureSpec, Problem['dtype'], Strategy];
    return { structure: structure.kind, ...knobsOf(structure), m: shape.m, n: shape.n, tokens: shape.tokens, strategy, dtype, medianMs } as SnapshotPoint;
  });
  return points.sort(
    (a, b) => a.m - b.m || a.n - b.n || a.dtype.localeCompare(b.dtype) || a.structure.localeCompare(b.structure) || a.strategy.localeCompare(b.strategy) || a.tokens - b.tokens,
  );
}

/** How a shared snapshot names the GPU it was measured on. */
export function deviceName(summary: AdapterSummary): string {
  return [summary.vendor, summary.architecture, summary.description].filter(Boolean).join(' · ') || 'unnamed adapter';
}

export function pointSpec(p: SnapshotPoint): StructureSpec {
  return specFrom(p.structure, p);
}

/** Latency lines of a snapshot, one per configuration; the shape and dtype join the label when the snapshot has several. */
export function snapshotSeries(snapshot: Snapshot): Series[] {
  const setting = (p: SnapshotPoint) => `${p.n} → ${p.m} · ${p.dtype}`;
  const several = new Set(snapshot.points.map(setting)).size > 1;
  const byConfig = new Map<string, Series>();
  for (const p of snapshot.points) {
    if (!(p.medianMs > 0)) continue;
    const spec = pointSpec(p);
    const id = JSON.stringify([spec, p.strategy, p.m, p.n, p.dtype]);
    let s = byConfig.get(id);
    if (!s) {
      const label = configLabel(spec, p.strategy) + (several ? ` · ${setting(p)}` : '');
      s = { id, label, strategy: p.strategy, dense: p.structure === 'dense', points: [] };
      byConfig.set(id, s);
    }
    s.points.push({ x: p.tokens, y: p.medianMs });
  }
  for (const s of byConfig.values()) s.points.sort((a, b) => a.x - b.x);
  return [...byConfig.values()];
}
