import { describe, expect, it } from 'vitest';
import { rooflineBoundS } from '../cost/roofline';
import { strategyCost } from '../cost/strategy-cost';
import { mergeFeeds, type FeedDocument, type FeedResult } from '../feed';
import { costModelSource, feedSources, pairOf, rowsSource, type PointQuery } from './sources';

const shape = { m: 4096, n: 4096, tokens: 1024 };
const dense: PointQuery = { shape, structure: { kind: 'dense' }, strategy: 'tiled' };
const monarch: PointQuery = { shape, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, strategy: 'unfused' };

const row = (over: Partial<FeedResult>): FeedResult => ({
  device: 'g',
  shape,
  structure: { kind: 'dense' },
  strategy: 'tiled',
  implementation: 'cublas',
  dtype: 'bf16',
  latency: { medianMs: 1 },
  provenance: { kind: 'pytorch', source: 'run A' },
  ...over,
});

describe('feedSources', () => {
  it('one source per device × implementation family × dtype: cuBLAS dense and eager baselines are one, WGSL another', () => {
    const feed: FeedDocument = {
      schema: 'blr-feed/1',
      generated: '2026-01-01T00:00:00Z',
      generator: 't',
      devices: [{ id: 'g', name: 'GPU G', kind: 'datacenter-gpu' }],
      results: [
        row({}),
        row({ structure: { rank: 1024, kind: 'monarch', blocks: 16 }, strategy: 'unfused', implementation: 'torch-eager', latency: { medianMs: 3 } }),
        row({ implementation: 'wgsl-dawn', dtype: 'f32', latency: { medianMs: 2 } }),
      ],
    };
    const sources = feedSources(mergeFeeds([{ origin: 'default', feed }]));
    expect(sources.map((s) => s.label)).toEqual(['GPU G · PyTorch bf16', 'GPU G · WGSL f32']);
    // Knob order in the feed does not matter.
    expect(pairOf(sources[0], monarch, dense)).toEqual([3, 1]);
    expect(sources[1].timings(monarch)).toEqual([]);
  });

  it('keeps kernels on matrix units apart from those on FMA units where results say which ran', () => {
    const feed: FeedDocument = {
      schema: 'blr-feed/1',
      generated: '2026-01-01T00:00:00Z',
      generator: 't',
      devices: [{ id: 'g', name: 'GPU G', kind: 'datacenter-gpu' }],
      results: [row({ implementation: 'wgsl-dawn', dtype: 'f16' }), { ...row({ implementation: 'wgsl-dawn', dtype: 'f16' }), path: 'matrix' } as FeedResult],
    };
    expect(feedSources(mergeFeeds([{ origin: 'default', feed }])).map((s) => s.label)).toEqual(['GPU G · WGSL f16', 'GPU G · WGSL f16 matrix']);
  });
});

describe('pairOf', () => {
  it('pairs two points from one run where the source has one run with both', () => {
    const meta = { id: 's', label: 's', device: 's', detail: '', where: '', kind: 'feed' as const, modelled: false, caveat: null, paperDevice: null, roofKnown: false, dtype: 'bf16' };
    const source = rowsSource(meta, [
      { ...dense, ms: 1, run: 'A' },
      { ...dense, ms: 1.5, run: 'B' },
      { ...monarch, ms: 3, run: 'B' },
    ]);
    expect(pairOf(source, monarch, dense)).toEqual([3, 1.5]);
    expect(source.tokens!(4096, 4096)).toEqual([1024]);
  });
});

describe('costModelSource', () => {
  const ceilings = { bytesPerS: 1e12, flopsPerS: { f16: 1e14 } };
  const model = costModelSource({ id: 'm', label: 'm', device: 'm', detail: '', where: '', caveat: null, paperDevice: null, dtype: 'f16' }, ceilings, 'f16');

  it("times a kernel at its roofline bound", () => {
    const cost = strategyCost({ shape, structure: monarch.structure, dtype: 'f16' }, 'unfused');
    expect(model.timings(monarch)).toEqual([{ ms: rooflineBoundS(cost, ceilings, 'f16') * 1e3, run: 'cost model' }]);
  });

  it('has nothing for a strategy it does not know', () => {
    expect(model.timings({ ...monarch, strategy: 'no-such-kernel' })).toEqual([]);
  });
});
