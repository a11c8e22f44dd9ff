import { describe, expect, it } from 'vitest';
import type { MergedResult } from '../../lib/feed';
import { deviceMarks, OWN_MARK } from '../charts/marks';
import { defaultGroupIds, drawnResults, feedGroups, feedLatencySeries, feedRooflinePoints, feedRoofs, feedSpeedupSeries, sameStructure } from './feed-series';
import { BIG, EDGE, result } from './testing';

const MONARCH = { kind: 'monarch', blocks: 16, rank: 1024 } as const;

const at = (tokens: number, over: Partial<MergedResult>) => result({ shape: { m: 4096, n: 4096, tokens }, ...over });

const RESULTS: MergedResult[] = [
  at(1, { latency: { medianMs: 1 } }),
  at(1024, { latency: { medianMs: 8 } }),
  at(1, { structure: MONARCH, strategy: 'partial', latency: { medianMs: 0.5 } }),
  at(1024, { structure: MONARCH, strategy: 'partial', latency: { medianMs: 2 } }),
  // another structure of the same layer: not drawn for Monarch b=16 R=1024
  at(1024, { structure: { kind: 'monarch', blocks: 4, rank: 1024 }, strategy: 'partial', latency: { medianMs: 3 } }),
  at(1024, { device: 'big', implementation: 'wgsl-dawn', dtype: 'f32', latency: { medianMs: 1 }, provenance: { kind: 'blr-bench', source: 'run A' } }),
  at(1024, { device: 'big', implementation: 'wgsl-dawn', dtype: 'f32', structure: MONARCH, strategy: 'partial', latency: { medianMs: 0.8 }, provenance: { kind: 'blr-bench', source: 'run A' } }),
  at(1024, { device: 'big', implementation: 'wgsl-dawn', dtype: 'f16', latency: { medianMs: 0.6 }, provenance: { kind: 'blr-bench', source: 'run A' } }),
  at(1, { device: 'big', implementation: 'cublas', dtype: 'bf16', latency: { medianMs: 0.02 }, provenance: { kind: 'pytorch', source: 'run B' } }),
  at(1, { device: 'big', implementation: 'cublas', dtype: 'bf16', latency: { medianMs: 0.03 }, provenance: { kind: 'pytorch', source: 'run C' } }),
];

const drawn = drawnResults(RESULTS, MONARCH);
const groups = feedGroups([EDGE, BIG], drawn);
const marks = deviceMarks(['edge', 'big']);

describe('feed groups', () => {
  it('matches a structure by its knobs, whatever the key order', () => {
    expect(sameStructure({ rank: 1024, blocks: 16, kind: 'monarch' } as never, MONARCH)).toBe(true);
    expect(sameStructure({ kind: 'monarch', blocks: 4, rank: 1024 }, MONARCH)).toBe(false);
    expect(sameStructure({ kind: 'blast', blocks: 16, rank: 1024 }, MONARCH)).toBe(false);
  });

  it('draws dense and the chosen structure only', () => {
    expect(drawn).toHaveLength(RESULTS.length - 1);
  });

  it('groups by device (feed order), implementation and dtype', () => {
    expect(groups.map((g) => g.id)).toEqual(['edge|cost-model|bf16', 'big|wgsl-dawn|f16', 'big|wgsl-dawn|f32', 'big|cublas|bf16']);
    expect(groups[0].label).toBe('Edge board · cost-model bf16 (modelled)');
    expect(groups[0].modelled).toBe(true);
  });

  it("defaults to one group per device: our WGSL at the experiment's dtype, else the cost model, else the first", () => {
    expect(defaultGroupIds(groups, 'f32')).toEqual(['edge|cost-model|bf16', 'big|wgsl-dawn|f32']);
    expect(defaultGroupIds(groups, 'f16')).toEqual(['edge|cost-model|bf16', 'big|wgsl-dawn|f16']);
    expect(defaultGroupIds(groups.filter((g) => g.implementation === 'cublas'), 'f32')).toEqual(['big|cublas|bf16']);
  });

  it('gives each device its own mark, never the own GPU circle', () => {
    expect(marks.get('edge')).not.toEqual(marks.get('big'));
    expect([...marks.values()].map((m) => m.symbol)).not.toContain(OWN_MARK.symbol);
    const many = deviceMarks(Array.from({ length: 42 }, (_, i) => `device-${i}`));
    expect(new Set([...many.values()].map((m) => `${m.symbol} ${m.dash}`)).size).toBe(42);
  });
});

describe('feed lines', () => {
  it('draws latency per group × structure × strategy, sorted by tokens, in the device mark', () => {
    const lines = feedLatencySeries([groups[0]], drawn, marks);
    expect(lines.map((l) => l.label)).toEqual(['Edge board · cost-model bf16 (modelled) · dense · tiled', 'Edge board · cost-model bf16 (modelled) · Monarch b=16 R=1024 · partial']);
    expect(lines[1].points).toEqual([
      { x: 1, y: 0.5 },
      { x: 1024, y: 2 },
    ]);
    expect(lines.every((l) => l.feed.mark === marks.get('edge'))).toBe(true);
    expect(lines[0].dense).toBe(true);
  });

  it('keeps two runs of one kernel apart, naming their sources', () => {
    const lines = feedLatencySeries([groups[3]], drawn, marks);
    expect(lines.map((l) => l.label)).toEqual(['Big GPU · cublas bf16 · dense · tiled · run B', 'Big GPU · cublas bf16 · dense · tiled · run C']);
  });

  it("draws speedup over the device's own dense at each token count", () => {
    const lines = feedSpeedupSeries([groups[0], groups[2]], drawn, marks);
    expect(lines.map((l) => [l.label, l.points])).toEqual([
      [
        'Edge board · cost-model bf16 (modelled) · Monarch b=16 R=1024 · partial',
        [
          { x: 1, y: 2 },
          { x: 1024, y: 4 },
        ],
      ],
      ['Big GPU · wgsl-dawn f32 · Monarch b=16 R=1024 · partial', [{ x: 1024, y: 1.25 }]],
    ]);
  });

  it('draws one point per token count when the same result comes twice (a feed loaded from two places)', () => {
    const twice = [...drawn, ...drawn.map((r) => ({ ...r, origin: 'https://example.org/copy.json' }))];
    const lines = feedLatencySeries([groups[0]], twice, marks);
    expect(lines).toHaveLength(2);
    expect(lines[1].points).toEqual([
      { x: 1, y: 0.5 },
      { x: 1024, y: 2 },
    ]);
  });

  it('draws nothing for groups not chosen', () => {
    expect(feedLatencySeries([], drawn, marks)).toEqual([]);
  });
});

describe('feed roofline', () => {
  it("adds a roof per chosen device × dtype that has both figures, and says which have none", () => {
    const { roofs, missing } = feedRoofs(groups, marks);
    expect(roofs.map((r) => [r.label, r.ceilings, r.dtype])).toEqual([
      ['Edge board bf16', { bytesPerS: 64 * 2 ** 30, flopsPerS: { bf16: 10e12 } }, 'bf16'],
      ['Big GPU f32', { bytesPerS: 1000e9, flopsPerS: { f32: 50_000e9 } }, 'f32'],
    ]);
    expect(missing).toEqual(['Big GPU f16: measured 1000 GB/s, no f16 FLOP/s figure (memory term only)', 'Big GPU bf16: measured 1000 GB/s, no bf16 FLOP/s figure (memory term only)']);
  });

  it('places results at the nearest token count, at the cost-model intensity, against their own roof', () => {
    const points = feedRooflinePoints([groups[0]], drawn, 900, marks, feedRoofs([groups[0]], marks).roofs);
    expect(points.map((p) => p.tokens)).toEqual([1024, 1024]);
    const dense = points.find((p) => p.dense)!;
    // dense bf16 at T=1024: 2·T·m·n FLOPs in 8 ms
    expect(dense.flopsPerS).toBeCloseTo((2 * 1024 * 4096 * 4096) / 8e-3, -3);
    expect(dense.intensity).toBeGreaterThan(100);
    expect(dense.attainable).toBe(10e12);
    expect(dense.label).toContain('T=1024');
  });

  it('draws one point per kernel when two sources timed it', () => {
    expect(feedRooflinePoints([groups[3]], drawn, 1, marks, [])).toHaveLength(1);
  });
});
