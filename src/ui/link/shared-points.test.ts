import { describe, expect, it } from 'vitest';
import { decodeSnapshot, encodeSnapshot } from '../../lib/share/snapshot';
import type { Problem, Strategy } from '../../lib/structures/types';
import { measurementKey } from '../store.svelte';
import { deviceName, measuredPoints, snapshotSeries } from './shared-points';

const shape = { m: 160, n: 96, tokens: 7 };
const monarch: Problem = { shape, structure: { kind: 'monarch', blocks: 4, rank: 32 }, dtype: 'f32' };
const dense: Problem = { shape, structure: { kind: 'dense' }, dtype: 'f32' };
const at = (p: Problem, tokens: number): Problem => ({ ...p, shape: { ...p.shape, tokens } });
const timings = (entries: [Problem, Strategy, number][]) => Object.fromEntries(entries.map(([p, s, ms]) => [measurementKey(p, s), ms]));

describe('measuredPoints', () => {
  it("turns the store's timings into snapshot points in a stable order, with only the structure's knobs", () => {
    const points = measuredPoints(timings([[at(monarch, 16), 'partial', 0.5], [monarch, 'unfused', 0.9], [dense, 'tiled', 1.2]]));
    expect(points).toEqual([
      { structure: 'dense', m: 160, n: 96, tokens: 7, strategy: 'tiled', dtype: 'f32', medianMs: 1.2 },
      { structure: 'monarch', blocks: 4, rank: 32, m: 160, n: 96, tokens: 16, strategy: 'partial', dtype: 'f32', medianMs: 0.5 },
      { structure: 'monarch', blocks: 4, rank: 32, m: 160, n: 96, tokens: 7, strategy: 'unfused', dtype: 'f32', medianMs: 0.9 },
    ]);
  });

  it('gives points the snapshot codec shares and reads back', () => {
    const points = measuredPoints(timings([[monarch, 'partial', 0.123456], [dense, 'tiled', 1]]));
    const read = decodeSnapshot(encodeSnapshot(points, 'Test GPU'));
    expect(read.ok && read.snapshot.points.map((p) => p.medianMs)).toEqual([1, 0.1235]);
  });
});

describe('snapshotSeries', () => {
  it('draws one line per configuration, sorted by tokens', () => {
    const points = measuredPoints(timings([[at(monarch, 16), 'partial', 0.5], [monarch, 'partial', 0.3], [dense, 'tiled', 1.2]]));
    const series = snapshotSeries({ device: 'x', points });
    expect(series.map((s) => [s.label, s.dense, s.points])).toEqual([
      ['dense · tiled', true, [{ x: 7, y: 1.2 }]],
      ['Monarch b=4 R=32 · partial', false, [{ x: 7, y: 0.3 }, { x: 16, y: 0.5 }]],
    ]);
  });

  it('names the shape and dtype when the snapshot has several', () => {
    const other: Problem = { ...dense, shape: { m: 64, n: 64, tokens: 7 } };
    const series = snapshotSeries({ device: 'x', points: measuredPoints(timings([[dense, 'tiled', 1], [other, 'tiled', 0.5]])) });
    expect(series.map((s) => s.label)).toEqual(['dense · tiled · 64 → 64 · f32', 'dense · tiled · 96 → 160 · f32']);
  });
});

describe('deviceName', () => {
  it('joins what the adapter tells', () => {
    const summary = { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device', isFallbackAdapter: true, features: [], limits: {}, dtypes: ['f32' as const] };
    expect(deviceName(summary)).toBe('google · swiftshader · SwiftShader Device');
  });
});
