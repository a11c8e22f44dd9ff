import { describe, expect, it } from 'vitest';
import { deviceRoof, feedMeasured, measuredCeilings, peakCeilings } from './ceilings';
import type { FeedDevice } from './schema';

const device = (d: Partial<FeedDevice>): FeedDevice => ({ id: 'gpu', name: 'GPU', kind: 'unknown', ...d });

describe("a feed device's ceilings", () => {
  it('reads measured GB/s and GFLOP/s, and datasheet GiB/s and FLOP/s, as B/s and FLOP/s', () => {
    const d = device({ measured: { bandwidthGBs: 1420, f32GFlops: 40_000, f16GFlops: 150_000 }, peakBandwidthGiBs: 696, peakFlops: { bf16: 149.7e12 } });
    expect(measuredCeilings(d)).toEqual({ bytesPerS: 1420e9, flopsPerS: { f32: 40_000e9, f16: 150_000e9 } });
    expect(peakCeilings(d)).toEqual({ bytesPerS: 696 * 2 ** 30, flopsPerS: { bf16: 149.7e12 } });
    expect(measuredCeilings(device({}))).toBeNull();
    expect(peakCeilings(device({}))).toBeNull();
  });

  it('writes ceilings back in the feed’s units, as read', () => {
    const measured = { bandwidthGBs: 3645.2, f32GFlops: 62_800, f16GFlops: 64_300 };
    expect(feedMeasured(measuredCeilings(device({ measured }))!)).toEqual(measured);
    expect(feedMeasured({ bytesPerS: 1e12, flopsPerS: { f32: 2e13 } })).toEqual({ bandwidthGBs: 1000, f32GFlops: 20_000 });
  });

  it('takes each figure measured where the feed has it, else the datasheet’s', () => {
    const d = device({ measured: { f32GFlops: 40_000 }, peakBandwidthGiBs: 64, peakFlops: { f32: 1e13, bf16: 2e13 } });
    expect(deviceRoof(d, 'f32')).toEqual({ ceilings: { bytesPerS: 64 * 2 ** 30, flopsPerS: { f32: 40_000e9 } }, basis: 'peak 64 GiB/s, measured 40 TFLOP/s f32' });
    expect(deviceRoof(d, 'bf16').ceilings.flopsPerS).toEqual({ bf16: 2e13 });
    expect(deviceRoof(d, 'f16')).toEqual({ ceilings: { bytesPerS: 64 * 2 ** 30, flopsPerS: {} }, basis: 'peak 64 GiB/s, no f16 FLOP/s figure (memory term only)' });
  });
});
