/**
 * bench/paper_triton.py (run on a CUDA GPU only) writes rows the feed accepts: its kernel table,
 * implementation and dtype, read from the script, make valid results at every preset layer, in the
 * row shape its main() writes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEED_SCHEMA_VERSION, parseFeed } from '.';
import { PRESETS } from '../presets';

const script = readFileSync(new URL('../../../bench/paper_triton.py', import.meta.url), 'utf8');
const kernels = [...script.matchAll(/^ {4}\("(\w+)", "([\w.]+)", "([\w-]+)"\),$/gm)].map(([, kind, entry, strategy]) => ({ kind, entry, strategy }));
const constant = (name: string) => new RegExp(`^${name} = "([\\w-]+)"$`, 'm').exec(script)?.[1];

const DEVICE = { id: 'nvidia-h100-80gb-hbm3', name: 'NVIDIA H100 80GB HBM3', kind: 'datacenter-gpu', memoryGiB: 79.18, adapter: { vendor: 'nvidia', architecture: 'sm_90', description: 'NVIDIA H100 80GB HBM3' } };

/** Every row the script would write for the preset layers at these token counts, each kernel's strategy replaced where `strategyOf` says. */
function feedOf(tokenCounts: number[], strategyOf = (k: (typeof kernels)[number]) => k.strategy): string {
  const results = PRESETS.flatMap((preset) =>
    preset.layers.flatMap((layer) =>
      tokenCounts.flatMap((tokens) =>
        kernels.flatMap((k) => {
          const knobs = k.kind === 'monarch' ? layer.monarch : layer.blast;
          if (!knobs) return [];
          const flops = 2 * tokens * knobs.rank * (layer.n + layer.m + (k.kind === 'blast' ? knobs.blocks ** 2 : 0));
          const medianMs = 0.25;
          return [{
            device: DEVICE.id,
            preset: preset.id,
            layer: layer.id,
            shape: { m: layer.m, n: layer.n, tokens },
            structure: { kind: k.kind, blocks: knobs.blocks, rank: knobs.rank },
            strategy: strategyOf(k),
            implementation: constant('IMPLEMENTATION'),
            dtype: constant('DTYPE'),
            latency: { medianMs, p10Ms: 0.24, p90Ms: 0.27, samples: 50 },
            flops,
            achievedGFlops: flops / (medianMs / 1e3) / 1e9,
            provenance: {
              kind: 'pytorch',
              source: `the paper's Triton ${k.entry} (github.com/pabillam/mem-efficient-blr at d3e02c1), autotuned on its first run; relErr 2.4e-03 against float64 eager on the same bf16 factors and input`,
              command: 'python3 bench/paper_triton.py --repo .paper --device-kind datacenter-gpu --out h100-triton-paper.json',
            },
          }];
        }),
      ),
    ),
  );
  return JSON.stringify({ schema: FEED_SCHEMA_VERSION, generated: '2026-12-08T00:00:00Z', generator: 'bench/paper_triton.py', notes: ['bf16'], devices: [DEVICE], results });
}

describe('bench/paper_triton.py', () => {
  it("times the paper's Monarch right_left as partial and its BLAST bmm (⑤) as perm-fused, bf16, as triton-paper", () => {
    expect(kernels).toEqual([
      { kind: 'monarch', entry: 'triton_funcs.monarch_kernels.triton_monarch_right_left_fp16', strategy: 'partial' },
      { kind: 'blast', entry: 'triton_funcs.blast_kernels.triton_blast_bmm_fp16', strategy: 'perm-fused' },
    ]);
    expect([constant('IMPLEMENTATION'), constant('DTYPE')]).toEqual(['triton-paper', 'bf16']);
  });

  it('writes rows the feed accepts at every preset layer', () => {
    const layers = PRESETS.flatMap((p) => p.layers);
    const parsed = parseFeed(feedOf([1, 16, 1024]));
    expect(parsed.ok ? parsed.feed.results.length : parsed.error).toBe(3 * (layers.filter((l) => l.monarch).length + layers.length));
  });

  it('and the same rows with a strategy its structure lacks are refused', () => {
    const parsed = parseFeed(feedOf([1], (k) => (k.kind === 'monarch' ? 'perm-fused' : k.strategy)));
    expect(parsed.ok ? 'accepted' : parsed.error).toMatch(/^results\[0\]\.strategy: must be native or a monarch strategy/);
  });
});
