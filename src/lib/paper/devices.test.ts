import { describe, expect, it } from 'vitest';
import { mergeFeeds, type FeedDocument, type FeedResult } from '../feed';
import { measuredFirst, paperDeviceOf } from './devices';

const result = (device: string, tokens: number, implementation: FeedResult['implementation'], ms: number): FeedResult => ({
  device,
  preset: 'llama-1b',
  layer: 'qo_proj',
  shape: { m: 2048, n: 2048, tokens },
  structure: { kind: 'dense' },
  strategy: 'tiled',
  implementation,
  dtype: 'bf16',
  latency: { medianMs: ms },
  provenance: { kind: implementation === 'cost-model' ? 'paper-cost-model' : 'pytorch', source: 'test' },
});

const feed = (devices: FeedDocument['devices'], results: FeedResult[]): FeedDocument => ({ schema: 'blr-feed/1', generated: '2026-01-01T00:00:00Z', generator: 'test', devices, results });

describe('paperDeviceOf', () => {
  it('knows the paper’s GPUs by the default feed’s id or by name, and nothing else', () => {
    expect(paperDeviceOf({ id: 'nvidia-a40', name: 'x' })).toBe('a40');
    expect(paperDeviceOf({ id: 'lab-board-3', name: 'Jetson Orin Nano Developer Kit' })).toBe('jetson-orin-nano');
    expect(paperDeviceOf({ id: 'gpu', name: 'NVIDIA A400' })).toBeNull();
    expect(paperDeviceOf({ id: 'gpu', name: 'NVIDIA H100' })).toBeNull();
  });
});

describe('measuredFirst', () => {
  const modelled = feed(
    [
      { id: 'nvidia-a40', name: 'NVIDIA A40', kind: 'datacenter-gpu' },
      { id: 'nvidia-jetson-orin-nano-8gb', name: 'NVIDIA Jetson Orin Nano 8GB', kind: 'edge-gpu' },
    ],
    [result('nvidia-a40', 1, 'cost-model', 1), result('nvidia-a40', 1024, 'cost-model', 2), result('nvidia-jetson-orin-nano-8gb', 1024, 'cost-model', 3)],
  );

  it('drops the modelled rows of a GPU where a feed measured it at the same layer and tokens, under any id', () => {
    const owner = feed([{ id: 'our-a40', name: 'NVIDIA A40 (PCIe)', kind: 'datacenter-gpu' }], [result('our-a40', 1024, 'cublas', 5)]);
    const merged = measuredFirst(mergeFeeds([{ origin: 'default', feed: modelled }, { origin: 'https://lab.example/a40.json', feed: owner }]));
    const rows = merged.results.map((r) => `${r.device}@${r.shape.tokens} ${r.implementation}`);
    expect(rows).toEqual(['nvidia-a40@1 cost-model', 'nvidia-jetson-orin-nano-8gb@1024 cost-model', 'our-a40@1024 cublas']);
    expect(merged.devices.map((d) => d.id)).toEqual(['nvidia-a40', 'nvidia-jetson-orin-nano-8gb', 'our-a40']);
  });

  it('drops a modelled device once every one of its rows is replaced', () => {
    const owner = feed([{ id: 'orin', name: 'Jetson Orin Nano', kind: 'edge-gpu' }], [result('orin', 1024, 'torch-eager', 9)]);
    const merged = measuredFirst(mergeFeeds([{ origin: 'default', feed: modelled }, { origin: 'x', feed: owner }]));
    expect(merged.devices.map((d) => d.id)).toEqual(['nvidia-a40', 'orin']);
  });

  it('changes nothing where no measurement meets a modelled row', () => {
    const merged = mergeFeeds([{ origin: 'default', feed: modelled }]);
    expect(measuredFirst(merged)).toBe(merged);
  });
});
