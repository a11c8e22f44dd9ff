import { describe, expect, it } from 'vitest';
import { RATIO_LIMITS, clampTo, ratioDomain, ratioScale, ratioTicks, spacedTicks, wrapText } from './ratio-axis';

describe('the ratio axis', () => {
  it('spans 1 and every value with room for labels, at least 0.5–2, at most the limits', () => {
    expect(ratioDomain([])).toEqual([0.5, 2]);
    const [lo, hi] = ratioDomain([0.8, 3]);
    expect(lo).toBe(0.5);
    expect(hi).toBeCloseTo(4.8, 12);
    expect(ratioDomain([0.001, 1000])).toEqual(RATIO_LIMITS);
    expect(clampTo([0.5, 2], 0.01)).toBe(0.5);
  });

  it('ticks at 1, 2 and 5 of each decade, thinned where they would crowd', () => {
    expect(ratioTicks([0.5, 4.8])).toEqual([0.5, 1, 2]);
    const x = ratioScale([0.05, 20], [0, 200]);
    const ticks = spacedTicks(ratioTicks([0.05, 20]), x, 34);
    expect(ticks).toContain(1);
    for (let i = 1; i < ticks.length; i++) expect(x(ticks[i]) - x(ticks[i - 1])).toBeGreaterThanOrEqual(34);
  });

  it('wraps a title at spaces', () => {
    expect(wrapText('speedup over dense at T=1024', 12)).toEqual(['speedup over', 'dense at', 'T=1024']);
    expect(wrapText('short', 40)).toEqual(['short']);
  });
});
