/** Feed devices and results for the feeds' unit tests. */
import type { MergedDevice, MergedResult } from '../../lib/feed';

export const EDGE: MergedDevice = { id: 'edge', feedId: 'edge', origin: 'default', name: 'Edge board', kind: 'edge-gpu', peakBandwidthGiBs: 64, peakFlops: { bf16: 10e12 } };
export const BIG: MergedDevice = { id: 'big', feedId: 'big', origin: 'default', name: 'Big GPU', kind: 'datacenter-gpu', peakBandwidthGiBs: 2000, measured: { bandwidthGBs: 1000, f32GFlops: 50_000 } };

/** A modelled dense result for Llama-7B qkvo_proj at T=1024 on EDGE, with `over` on top. */
export function result(over: Partial<MergedResult>): MergedResult {
  return {
    device: 'edge',
    preset: 'llama-7b',
    layer: 'qkvo_proj',
    shape: { m: 4096, n: 4096, tokens: 1024 },
    structure: { kind: 'dense' },
    strategy: 'tiled',
    implementation: 'cost-model',
    dtype: 'bf16',
    latency: { medianMs: 1 },
    provenance: { kind: 'paper-cost-model', source: 'model' },
    origin: 'default',
    ...over,
  };
}
