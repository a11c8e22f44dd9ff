import { describe, expect, it } from 'vitest';
import type { MergedResult } from '../../lib/feed';
import { measurementKey } from '../store.svelte';
import { deviceRoof } from '../../lib/feed';
import { compareRows, denseReference, layerResults, nearestTokens, resultWork, roofBoundMs, tokenChoices } from './compare';
import { OWN_DEVICE_ID, ownDevice, ownResults } from './own-results';
import { BIG, EDGE, result } from './testing';

const QUERY = { preset: 'llama-7b', layer: 'qkvo_proj', m: 4096, n: 4096 };

describe('layer and tokens', () => {
  it('picks a preset layer by id, a custom shape by m and n', () => {
    const rs = [result({}), result({ layer: 'down_proj' }), result({ preset: undefined, layer: undefined, shape: { m: 96, n: 160, tokens: 7 } })];
    expect(layerResults(rs, QUERY)).toEqual([rs[0]]);
    expect(layerResults(rs, { preset: null, layer: null, m: 96, n: 160 })).toEqual([rs[2]]);
  });

  it('offers the token counts present and starts at the nearest to the experiment', () => {
    const choices = tokenChoices([result({ shape: { m: 1, n: 1, tokens: 1024 } }), result({ shape: { m: 1, n: 1, tokens: 16 } }), result({ shape: { m: 1, n: 1, tokens: 16 } })]);
    expect(choices).toEqual([16, 1024]);
    expect(nearestTokens(choices, 512)).toBe(1024);
    expect(nearestTokens(choices, 20)).toBe(16);
    expect(nearestTokens([], 20)).toBeNull();
  });
});

describe('roof', () => {
  it('uses measured ceilings where present, else peaks (GiB/s as 2^30 B/s)', () => {
    expect(deviceRoof(EDGE, 'bf16')).toEqual({ ceilings: { bytesPerS: 64 * 2 ** 30, flopsPerS: { bf16: 10e12 } }, basis: 'peak 64 GiB/s, peak 10 TFLOP/s bf16' });
    expect(deviceRoof(BIG, 'f32')).toEqual({ ceilings: { bytesPerS: 1000e9, flopsPerS: { f32: 50_000e9 } }, basis: 'measured 1000 GB/s, measured 50 TFLOP/s f32' });
    expect(deviceRoof(BIG, 'bf16')).toEqual({ ceilings: { bytesPerS: 1000e9, flopsPerS: {} }, basis: 'measured 1000 GB/s, no bf16 FLOP/s figure (memory term only)' });
  });

  it('bounds a pass by max(bytes / bandwidth, flops / peak)', () => {
    const roof = { ceilings: { bytesPerS: 1e9, flopsPerS: { f32: 1e12 } }, basis: '' };
    expect(roofBoundMs(2e6, 1e9, roof, 'f32')).toBeCloseTo(2);
    expect(roofBoundMs(1e6, 3e9, roof, 'f32')).toBeCloseTo(3);
    expect(roofBoundMs(1e6, 3e9, roof, 'bf16')).toBeCloseTo(1);
    expect(roofBoundMs(undefined, undefined, roof, 'f32')).toBeNull();
  });

  it("takes bytes from the cost model when a result has none, but not for native kernels", () => {
    const dense = result({ flops: 1, bytes: undefined, dtype: 'bf16' });
    expect(resultWork(dense).bytes).toBe(2 * (4096 * 4096 + 2 * 1024 * 4096));
    expect(resultWork(result({ structure: { kind: 'monarch', blocks: 16, rank: 1024 }, strategy: 'native', flops: 5 }))).toEqual({ flops: 5 });
  });
});

describe('compareRows', () => {
  it('measures speedup against the same device dense, preferring the implementation family and dtype', () => {
    const cublasBf16 = result({ device: 'big', implementation: 'cublas', dtype: 'bf16', latency: { medianMs: 0.05 } });
    const cublasF32 = result({ device: 'big', implementation: 'cublas', dtype: 'f32', latency: { medianMs: 0.7 } });
    const wgslF32 = result({ device: 'big', implementation: 'wgsl-dawn', dtype: 'f32', latency: { medianMs: 2 } });
    const eager = result({ device: 'big', implementation: 'torch-eager', dtype: 'f32', structure: { kind: 'monarch', blocks: 16, rank: 1024 }, strategy: 'unfused' });
    const partial = result({ device: 'big', implementation: 'wgsl-dawn', dtype: 'f32', structure: { kind: 'monarch', blocks: 16, rank: 1024 }, strategy: 'partial' });
    const all = [cublasBf16, cublasF32, wgslF32, eager, partial];
    expect(denseReference(eager, all)).toBe(cublasF32);
    expect(denseReference(partial, all)).toBe(wgslF32);
    expect(denseReference(result({}), all)).toBeNull();
    const { rows } = compareRows([EDGE, BIG], all);
    const row = rows.find((r) => r.implementation === 'wgsl-dawn' && r.strategy === 'partial')!;
    expect(row.speedup).toBe(2);
    expect(row.reference).toBe('wgsl-dawn dense f32');
    expect(rows.find((r) => r.implementation === 'cublas' && r.dtype === 'f32')!.reference).toBe('itself');
  });

  it('orders by device, labels cost-model rows modelled, and gives the fraction of the roof', () => {
    // Edge dense bf16: 4096² weights + 2·1024·4096 activations at 2 bytes over 64 GiB/s.
    const bytes = 2 * (4096 * 4096 + 2 * 1024 * 4096);
    const flops = 2 * 1024 * 4096 * 4096;
    const boundMs = Math.max(bytes / (64 * 2 ** 30), flops / 10e12) * 1e3;
    const edge = result({ bytes, flops, latency: { medianMs: boundMs * 2 } });
    const big = result({ device: 'big', implementation: 'wgsl-dawn', dtype: 'f32' });
    const { rows, roofs } = compareRows([EDGE, BIG], [big, edge]);
    expect(rows.map((r) => r.device)).toEqual(['Edge board', 'Big GPU']);
    expect(rows.map((r) => r.modelled)).toEqual([true, false]);
    expect(rows[0].roofFraction).toBeCloseTo(0.5);
    expect(roofs.map((r) => `${r.device} ${r.dtype}`)).toEqual(['Edge board bf16', 'Big GPU f32']);
  });
});

describe('this GPU', () => {
  it("turns the store's timings for the layer into rows with the measured ceilings", () => {
    const shape = { m: 4096, n: 4096, tokens: 16 };
    const monarch = { kind: 'monarch' as const, blocks: 16, rank: 1024 };
    const timings = {
      [measurementKey({ shape, structure: monarch, dtype: 'f32' }, 'partial')]: 0.5,
      [measurementKey({ shape, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled')]: 1,
      [measurementKey({ shape: { m: 96, n: 160, tokens: 7 }, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled')]: 1,
    };
    const own = ownResults(timings, QUERY);
    expect(own).toHaveLength(2);
    expect(own[0]).toMatchObject({ device: OWN_DEVICE_ID, preset: 'llama-7b', layer: 'qkvo_proj', implementation: 'wgsl-browser', strategy: 'partial', latency: { medianMs: 0.5 } });
    const device = ownDevice('This GPU', { bytesPerS: 100e9, flopsPerS: { f32: 1000e9 } });
    const { rows } = compareRows([EDGE, device], own);
    expect(rows.map((r) => [r.structure, r.speedup])).toEqual([
      ['dense', 1],
      ['Monarch b=16 R=1024', 2],
    ]);
    expect(rows.every((r) => r.roofFraction !== null && !r.modelled)).toBe(true);
  });
});
