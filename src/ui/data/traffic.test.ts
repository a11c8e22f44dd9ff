import { describe, expect, it } from 'vitest';
import type { Problem } from '../../lib/structures/types';
import { allStrategyTraffic, interpolateLayout, maxDispatchBytes, trafficLayout } from './traffic';

const monarch: Problem = { shape: { m: 4096, n: 4096, tokens: 1024 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f32' };

describe('allStrategyTraffic', () => {
  const all = allStrategyTraffic(monarch);

  it('has every strategy of the structure, with the cost model totals', () => {
    expect(all.map((t) => t.strategy)).toEqual(['unfused', 'partial', 'fused']);
    for (const t of all) {
      expect(t.bars.reduce((s, b) => s + b.bytes, 0)).toBe(t.cost.bytes);
      expect(Object.values(t.byRole).reduce((a, b) => a + b, 0)).toBe(t.cost.bytes);
    }
  });

  it('splits each bar into reads then writes, laid end to end', () => {
    for (const t of all)
      for (const bar of t.bars) {
        let offset = 0;
        for (const s of bar.segments) {
          expect(s.offset).toBe(offset);
          offset += s.bytes;
        }
        expect(offset).toBe(bar.bytes);
        const firstWrite = bar.segments.findIndex((s) => s.direction === 'write');
        expect(bar.segments.slice(firstWrite).every((s) => s.direction === 'write')).toBe(true);
      }
  });

  it('shows what fusion removes: intermediates go from unfused to partial to none', () => {
    const [unfused, partial, fused] = all;
    expect(unfused.byRole.intermediate).toBeGreaterThan(partial.byRole.intermediate);
    expect(fused.byRole.intermediate).toBe(0);
    expect(unfused.bars.map((b) => b.name)).toEqual(['stage1-bmm', 'permute', 'stage2-bmm', 'output-permute']);
    expect(fused.bars).toHaveLength(1);
  });
});

describe('trafficLayout', () => {
  const all = allStrategyTraffic(monarch);

  it('gives the chosen strategy stacked rows and every other row zero height', () => {
    const layout = trafficLayout(all, 'partial', 30, 5);
    expect(layout.height).toBe(30 + 5 + 30);
    expect(layout.rows['partial/stage1-gemm']).toEqual({ y: 0, height: 30 });
    expect(layout.rows['partial/stage2-gemm']).toEqual({ y: 35, height: 30 });
    expect(layout.rows['unfused/permute'].height).toBe(0);
    expect(layout.segments['fused/fused/X/read']).toMatchObject({ height: 0, x0: 0, x1: 0 });
  });

  it('has the same keys whichever strategy is chosen, so a tween moves between them', () => {
    const keys = (s: 'unfused' | 'partial' | 'fused') => Object.keys(trafficLayout(all, s, 30, 5).segments).sort();
    expect(keys('unfused')).toEqual(keys('fused'));
    expect(keys('partial')).toEqual(keys('fused'));
  });

  it('tweens between layouts with a fresh object at every step', () => {
    const unfused = trafficLayout(all, 'unfused', 30, 5);
    const fused = trafficLayout(all, 'fused', 30, 5);
    const step = interpolateLayout(unfused, fused);
    const half = step(0.5);
    expect(half).not.toBe(step(0.5));
    expect(half.rows['unfused/permute'].height).toBe(15);
    expect(half.rows['fused/fused'].height).toBe(15);
    expect(step(1)).toEqual(fused);
    expect(step(0)).toEqual(unfused);
  });

  it('grows rows of a new structure from zero height', () => {
    const blast = allStrategyTraffic({ ...monarch, structure: { kind: 'blast', blocks: 16, rank: 1024 } });
    const step = interpolateLayout(trafficLayout(all, 'partial', 30, 5), trafficLayout(blast, 'partial', 30, 5));
    expect(step(0).rows['partial/xvs-sum'].height).toBe(0);
    expect(step(1).rows['partial/xvs-sum'].height).toBe(30);
    expect(step(0.5).rows['partial/stage1-gemm']).toBeUndefined();
  });

  it('scales all strategies by the largest single dispatch', () => {
    expect(maxDispatchBytes(all)).toBe(Math.max(...all.flatMap((t) => t.bars.map((b) => b.bytes))));
  });
});
