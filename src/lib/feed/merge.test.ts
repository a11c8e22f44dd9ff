import { describe, expect, it } from 'vitest';
import { mergeFeeds } from './merge';
import type { FeedDevice, FeedDocument, FeedResult } from './schema';

const device = (id: string, name: string): FeedDevice => ({ id, name, kind: 'unknown' });

const result = (deviceId: string, medianMs: number): FeedResult => ({
  device: deviceId,
  shape: { m: 8, n: 8, tokens: 1 },
  structure: { kind: 'dense' },
  strategy: 'tiled',
  implementation: 'wgsl-browser',
  dtype: 'f32',
  latency: { medianMs },
  provenance: { kind: 'other', source: 'test' },
});

const feed = (devices: FeedDevice[], results: FeedResult[], title?: string): FeedDocument => ({
  schema: 'blr-feed/1',
  generated: '2026-01-17T10:00:00Z',
  generator: 'test',
  ...(title ? { title } : {}),
  devices,
  results,
});

describe('mergeFeeds', () => {
  it('concatenates results in order, each tagged with its origin', () => {
    const merged = mergeFeeds([
      { origin: 'default', feed: feed([device('a', 'A')], [result('a', 1), result('a', 2)], 'bundled') },
      { origin: 'https://example.org/feed.json', feed: feed([device('b', 'B')], [result('b', 3)]) },
    ]);
    expect(merged.results.map((r) => [r.origin, r.device, r.latency.medianMs])).toEqual([
      ['default', 'a', 1],
      ['default', 'a', 2],
      ['https://example.org/feed.json', 'b', 3],
    ]);
    expect(merged.sources).toEqual([
      { origin: 'default', generated: '2026-01-17T10:00:00Z', generator: 'test', title: 'bundled' },
      { origin: 'https://example.org/feed.json', generated: '2026-01-17T10:00:00Z', generator: 'test' },
    ]);
  });

  it('keeps each feed\'s devices apart: an id an earlier feed used is qualified by the later feed\'s origin', () => {
    const merged = mergeFeeds(
      [
        { origin: 'one', feed: feed([device('a', 'first'), device('b', 'B')], [result('a', 2)]) },
        { origin: 'two', feed: feed([device('a', 'second'), device('c', 'C'), device('mine', 'M')], [result('a', 1), result('mine', 3)]) },
      ],
      ['mine'],
    );
    expect(merged.devices.map((d) => [d.id, d.feedId, d.name, d.origin])).toEqual([
      ['a', 'a', 'first', 'one'],
      ['b', 'b', 'B', 'one'],
      ['a@two', 'a', 'second', 'two'],
      ['c', 'c', 'C', 'two'],
      ['mine@two', 'mine', 'M', 'two'],
    ]);
    expect(merged.results.map((r) => [r.device, r.origin])).toEqual([
      ['a', 'one'],
      ['a@two', 'two'],
      ['mine@two', 'two'],
    ]);
  });

  it('of no feeds is empty', () => {
    expect(mergeFeeds([])).toEqual({ sources: [], devices: [], results: [] });
  });
});
