import { describe, expect, it } from 'vitest';
import type { SweepPoint } from '../../worker/protocol';
import { failedPoints, latencySeries, speedupSeries, sweepConfigs } from './timing';

const monarch = { kind: 'monarch', blocks: 4, rank: 32 } as const;
const timing = (medianMs: number) => ({ backend: 'webgpu' as const, medianMs, p10Ms: medianMs, p90Ms: medianMs, samples: 5, timer: 'timestamp-query' as const });

const points: SweepPoint[] = [
  { structure: { kind: 'dense' }, strategy: 'tiled', tokens: 16, timing: timing(4) },
  { structure: monarch, strategy: 'partial', tokens: 16, timing: timing(2) },
  { structure: { kind: 'dense' }, strategy: 'tiled', tokens: 1, timing: timing(1) },
  { structure: monarch, strategy: 'partial', tokens: 1, timing: timing(0.25) },
  { structure: monarch, strategy: 'fused', tokens: 1, error: 'fused cannot run' },
  { structure: monarch, strategy: 'unfused', tokens: 64, timing: timing(3) },
];

describe('timing view data', () => {
  it('sweeps dense and every strategy of the structure', () => {
    expect(sweepConfigs(monarch).map((c) => `${c.structure.kind}/${c.strategy}`)).toEqual(['dense/tiled', 'monarch/unfused', 'monarch/partial', 'monarch/fused']);
    expect(sweepConfigs({ kind: 'dense' })).toHaveLength(1);
  });

  it('makes one latency line per structure × strategy, sorted by tokens', () => {
    const lines = latencySeries(points);
    expect(lines.map((l) => l.label)).toEqual(['dense · tiled', 'Monarch b=4 R=32 · partial', 'Monarch b=4 R=32 · unfused']);
    expect(lines[1].points).toEqual([
      { x: 1, y: 0.25 },
      { x: 16, y: 2 },
    ]);
  });

  it('labels a line whose strategy fell back with what ran', () => {
    const plan = { problem: { shape: { m: 8, n: 8, tokens: 1 }, structure: monarch, dtype: 'f32' as const }, requested: 'fused' as const, strategy: 'partial' as const, fallbackReason: 'too big', dispatches: [] };
    const lines = latencySeries([{ structure: monarch, strategy: 'fused', tokens: 1, timing: { ...timing(1), plan } }]);
    expect(lines.map((l) => [l.label, l.strategy])).toEqual([['Monarch b=4 R=32 · fused (ran partial)', 'fused']]);
  });

  it('divides dense by each line where both ran', () => {
    const speedup = speedupSeries(latencySeries(points));
    expect(speedup.map((s) => s.label)).toEqual(['Monarch b=4 R=32 · partial']);
    expect(speedup[0].points).toEqual([
      { x: 1, y: 4 },
      { x: 16, y: 2 },
    ]);
    expect(speedupSeries(latencySeries(points.filter((p) => p.structure.kind !== 'dense')))).toEqual([]);
  });

  it('lists the points that did not run', () => {
    expect(failedPoints(points)).toEqual([{ label: 'Monarch b=4 R=32 · fused', tokens: 1, error: 'fused cannot run' }]);
  });
});
