import { describe, expect, it } from 'vitest';
import { strategyCost } from '../../lib/cost/strategy-cost';
import type { Problem } from '../../lib/structures/types';
import { measuredRoof, roofPeak, roofPolyline, rooflineDomains, rooflinePoints } from './roofline';

const problem: Problem = { shape: { m: 4096, n: 4096, tokens: 16 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f32' };
const partial = strategyCost(problem, 'partial');
const measured = { bytesPerS: 1e12, flopsPerS: { f32: 5e13, f16: 2e14 }, timer: 'timestamp-query' as const };
const roof = measuredRoof(measured, 'f32');

describe('roofline view data', () => {
  it("takes the dtype's measured peak for the roof, f32's where the dtype has none", () => {
    expect([roof.dtype, roofPeak(roof), roof.ceilings.bytesPerS]).toEqual(['f32', 5e13, 1e12]);
    expect(roofPeak(measuredRoof(measured, 'f16'))).toBe(2e14);
    const f32Only = measuredRoof({ ...measured, flopsPerS: { f32: 5e13 } }, 'f16');
    expect([f32Only.dtype, roofPeak(f32Only), f32Only.label]).toEqual(['f32', 5e13, 'this GPU (f32 peak)']);
  });

  it('draws the memory slope up to the ridge, then the flat compute roof', () => {
    expect(roofPolyline(roof, [1, 1000])).toEqual([
      [1, 1e12],
      [50, 5e13],
      [1000, 5e13],
    ]);
    expect(roofPolyline(roof, [100, 1000])).toEqual([
      [100, 5e13],
      [1000, 5e13],
    ]);
  });

  it('places a measured point at its intensity and FLOP/s, unmeasured ones without FLOP/s', () => {
    const boundMs = (partial.bytes / 1e12) * 1e3;
    const [measured, unmeasured] = rooflinePoints(
      [
        { id: 'partial', label: 'partial', cost: partial, ms: 2 * boundMs },
        { id: 'fused', label: 'fused', cost: strategyCost(problem, 'fused') },
      ],
      roof,
    );
    expect(measured.intensity).toBe(partial.intensity);
    expect(measured.flopsPerS! / measured.attainable!).toBeCloseTo(0.5, 10);
    expect(measured.aboveRoof).toBe(false);
    expect(unmeasured.flopsPerS).toBeUndefined();
    expect(unmeasured.aboveRoof).toBe(false);
  });

  it('flags a point faster than its roof allows as a bug', () => {
    const boundMs = (partial.bytes / 1e12) * 1e3;
    const [p] = rooflinePoints([{ id: 'partial', label: 'partial', cost: partial, ms: boundMs / 2 }], roof);
    expect(p.aboveRoof).toBe(true);
    const [noRoof] = rooflinePoints([{ id: 'partial', label: 'partial', cost: partial, ms: boundMs / 2 }], null);
    expect(noRoof.aboveRoof).toBe(false);
  });

  it('covers the ridge and every point in whole decades', () => {
    const points = rooflinePoints([{ id: 'partial', label: 'partial', cost: partial, ms: 1 }], roof);
    const { x, y } = rooflineDomains(points, [roof]);
    expect(x[0]).toBeLessThanOrEqual(partial.intensity);
    expect(x[1]).toBeGreaterThanOrEqual(50);
    expect(y[1]).toBeGreaterThanOrEqual(5e13);
    expect(y[0]).toBeLessThanOrEqual(points[0].flopsPerS!);
    expect(Math.log10(x[0]) % 1).toBe(0);
    // The memory slope starts inside the frame.
    expect(y[0]).toBeLessThanOrEqual(roofPolyline(roof, x)[0][1]);
  });
});
