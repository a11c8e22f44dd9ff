import { describe, expect, it } from 'vitest';
import { attainableFlops, ridgeIntensity, rooflineBoundS, strategyCost } from './index';

// 1 TB/s and 100 TFLOP/s: ridge at 100 FLOP/B.
const ceilings = { bytesPerS: 1e12, flopsPerS: { f16: 1e14 } };

describe('roofline', () => {
  it('ridge and attainable FLOP/s on both sides of it', () => {
    expect(ridgeIntensity(ceilings, 'f16')).toBe(100);
    expect(attainableFlops(10, ceilings, 'f16')).toBe(1e13);
    expect(attainableFlops(100, ceilings, 'f16')).toBe(1e14);
    expect(attainableFlops(1000, ceilings, 'f16')).toBe(1e14);
  });

  it('memory-bound bound: dense f16, one token, 4096 × 4096', () => {
    // bytes = 2·(4096 + 4096² + 4096) = 33 570 816, flops = 2·4096² = 33 554 432 (AI ≈ 1):
    // bytes / bw = 33.570816 µs beats flops / peak = 0.33554432 µs.
    const c = strategyCost({ shape: { m: 4096, n: 4096, tokens: 1 }, structure: { kind: 'dense' }, dtype: 'f16' }, 'tiled');
    expect(c.bytes).toBe(33_570_816);
    expect(rooflineBoundS(c, ceilings, 'f16')).toBeCloseTo(33.570816e-6, 15);
  });

  it('compute-bound bound: dense f16, 4096 tokens, 4096 × 4096', () => {
    // bytes = 2·3·4096² = 100 663 296 → 100.66 µs; flops = 2·4096³ = 137 438 953 472 → 1374.39 µs.
    const c = strategyCost({ shape: { m: 4096, n: 4096, tokens: 4096 }, structure: { kind: 'dense' }, dtype: 'f16' }, 'tiled');
    expect(c.bytes).toBe(100_663_296);
    expect(rooflineBoundS(c, ceilings, 'f16')).toBeCloseTo(1374.38953472e-6, 15);
  });

  it('equals the paper\'s flops / min(bw·AI, peak)', () => {
    const c = strategyCost({ shape: { m: 11008, n: 4096, tokens: 1024 }, structure: { kind: 'blast', blocks: 16, rank: 1488 }, dtype: 'f16' }, 'partial');
    const paper = c.flops / attainableFlops(c.intensity, ceilings, 'f16');
    expect(rooflineBoundS(c, ceilings, 'f16')).toBeCloseTo(paper, 15);
  });

  it('drops the term of a figure the ceilings lack', () => {
    expect(rooflineBoundS({ bytes: 2e12, flops: 1e14 }, ceilings, 'f32')).toBe(2);
    expect(rooflineBoundS({ bytes: 2e12, flops: 3e14 }, { flopsPerS: { f16: 1e14 } }, 'f16')).toBe(3);
    expect(rooflineBoundS({}, ceilings, 'f16')).toBe(0);
    expect(attainableFlops(1e6, ceilings, 'bf16')).toBe(1e18);
  });
});
