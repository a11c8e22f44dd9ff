import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateProblem } from '../structures/validate';
import { type StructureSpec } from '../structures/types';
import { STRUCTURE_KINDS } from '../structures/kinds';
import { PRESETS, findLayer, findPreset, specFor } from './index';

/** configs/layers/*.yaml of pabillam/mem-efficient-blr, transcribed into fixtures/mem-efficient-blr_configs.json. */
interface LayerConfig {
  source: string;
  network: string;
  layer: string;
  in_f: number;
  out_f: number;
  num_seq: number;
  num_batches: number;
  blast_b: number;
  blast_rank: number;
  monarch_b: number | null;
  monarch_rank: number | null;
  lowrank_rank: number;
}

const configs: LayerConfig[] = JSON.parse(readFileSync(new URL('./fixtures/mem-efficient-blr_configs.json', import.meta.url), 'utf8')).layer_microbench_configs;

const PRESET_OF_NETWORK: Record<string, string> = {
  llama7b: 'llama-7b',
  llama1b: 'llama-1b',
  gpt2s: 'gpt2-s',
  dit_xl: 'dit-xl-2',
  vit_b_patch16_224: 'vit-b-16',
  vit_b_patch8_224: 'vit-b-8',
};

const allLayers = PRESETS.flatMap((p) => p.layers.map((l) => ({ preset: p.id, layer: l })));

describe('presets', () => {
  it('has the six models of the paper, each id and layer id unique', () => {
    expect(PRESETS.map((p) => p.id)).toEqual(['llama-7b', 'llama-1b', 'gpt2-s', 'dit-xl-2', 'vit-b-16', 'vit-b-8']);
    for (const p of PRESETS) {
      expect(new Set(p.layers.map((l) => l.id)).size).toBe(p.layers.length);
      expect(p.provenance).toContain('mem-efficient-blr');
    }
  });

  it('holds exactly the 19 layer configs of the repo', () => {
    expect(configs).toHaveLength(19);
    expect(allLayers).toHaveLength(19);
    expect(allLayers.map(({ layer }) => layer.source).sort()).toEqual(configs.map((c) => c.source).sort());
  });

  it.each(configs.map((c) => [c.source, c] as const))('%s: shape, tokens and knobs equal the yaml', (_, c) => {
    const layer = findLayer(PRESET_OF_NETWORK[c.network], c.layer);
    expect(layer).toBeDefined();
    expect(layer).toMatchObject({
      id: c.layer,
      n: c.in_f,
      m: c.out_f,
      tokens: c.num_seq * c.num_batches,
      blast: { blocks: c.blast_b, rank: c.blast_rank },
      lowrank: { rank: c.lowrank_rank },
      source: c.source,
    });
    expect(layer!.monarch).toEqual(c.monarch_b === null ? null : { blocks: c.monarch_b, rank: c.monarch_rank });
  });

  it.each(allLayers.map(({ preset, layer }) => [`${preset}/${layer.id}`, layer] as const))('%s: every spec passes the divisibility rules', (_, layer) => {
    for (const kind of STRUCTURE_KINDS) {
      const spec = specFor(layer, kind);
      if (!spec) continue;
      if (spec.kind === 'monarch' || spec.kind === 'blast') {
        expect(layer.n % spec.blocks).toBe(0);
        expect(layer.m % spec.blocks).toBe(0);
      }
      if (spec.kind === 'monarch') expect(spec.rank % spec.blocks).toBe(0);
      expect(validateProblem({ shape: { m: layer.m, n: layer.n, tokens: layer.tokens }, structure: spec, dtype: 'f32' })).toEqual([]);
    }
  });
});

describe('lookups', () => {
  it('findPreset and findLayer return undefined for unknown ids', () => {
    expect(findPreset('llama-7b')?.name).toBe('Llama-7B');
    expect(findPreset('llama-70b')).toBeUndefined();
    expect(findLayer('llama-7b', 'down_proj')?.n).toBe(11008);
    expect(findLayer('llama-7b', 'qo_proj')).toBeUndefined();
    expect(findLayer('nope', 'qkvo_proj')).toBeUndefined();
  });

  it('specFor gives the paper knobs per structure, null for Monarch on DiT-XL/2', () => {
    const gateUp = findLayer('llama-7b', 'gate_up_proj')!;
    const specs: (StructureSpec | null)[] = STRUCTURE_KINDS.map((k) => specFor(gateUp, k));
    expect(specs).toEqual([
      { kind: 'dense' },
      { kind: 'lowrank', rank: 1488 },
      { kind: 'monarch', blocks: 16, rank: 1536 },
      { kind: 'blast', blocks: 16, rank: 1488 },
    ]);
    expect(specFor(findLayer('dit-xl-2', 'adaln')!, 'monarch')).toBeNull();
  });
});

describe('bench/torch_baseline.py', () => {
  it('embeds the same layer configs as the presets', () => {
    const script = readFileSync(new URL('../../../bench/torch_baseline.py', import.meta.url), 'utf8');
    const tuple = /\("(\w+)", (\d+), (\d+), (?:None|\((\d+), (\d+)\)), \((\d+), (\d+)\)\)/g;
    const key = (id: string, n: number, m: number, monarch: number[] | null, blast: number[]) => JSON.stringify([id, n, m, monarch, blast]);
    const inScript = new Set([...script.matchAll(tuple)].map((g) => key(g[1], +g[2], +g[3], g[4] ? [+g[4], +g[5]] : null, [+g[6], +g[7]])));
    const inPresets = new Set(allLayers.map(({ layer: l }) => key(l.id, l.n, l.m, l.monarch && [l.monarch.blocks, l.monarch.rank], [l.blast.blocks, l.blast.rank])));
    expect([...inScript].sort()).toEqual([...inPresets].sort());
    expect([...script.matchAll(/^ {4}"([\w-]+)": /gm)].map((g) => g[1])).toEqual(PRESETS.map((p) => p.id));
  });
});
