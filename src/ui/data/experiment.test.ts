import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../lib/limits';
import { PRESETS, findLayer } from '../../lib/presets';
import { randomExperiment } from '../../lib/share/testing';
import { mulberry32 } from '../../lib/structures/random';
import { DEFAULT_EXPERIMENT, type ExperimentState } from '../../lib/share/state';
import { validateProblem } from '../../lib/structures/validate';
import { STRATEGIES, STRUCTURE_KINDS } from '../../lib/structures/kinds';
import {
  asCustom,
  blockChoices,
  normalise,
  parseTokenList,
  problemOf,
  rankChoices,
  withBlocks,
  withDtype,
  withLayer,
  withRank,
  withShape,
  withStrategy,
  withStructure,
  withSweep,
  withTokens,
  withView,
} from './experiment';

const base: ExperimentState = structuredClone(DEFAULT_EXPERIMENT);
const valid = (e: ExperimentState) => expect(validateProblem(problemOf(e))).toEqual([]);

describe('knob choices', () => {
  it('offers block counts that divide both m and n', () => {
    expect(blockChoices(160, 96)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(blockChoices(2304, 768)).toContain(6);
    for (const b of blockChoices(11008, 4096)) expect(11008 % b === 0 && 4096 % b === 0).toBe(true);
  });

  it('offers no block count past LIMITS.blocks, and brings a larger one back within it', () => {
    expect(blockChoices(4096, 4096).at(-1)).toBe(LIMITS.blocks);
    expect(normalise({ ...base, blocks: 128, rank: 1024 }).blocks).toBe(16);
    expect(normalise({ ...base, blocks: 4096, rank: 4096 })).toMatchObject({ blocks: 16, rank: 4096 });
  });

  it('offers Monarch ranks that are multiples of b up to min(m, n), keeping valid extras', () => {
    const ranks = rankChoices('monarch', 4096, 11008, 16, [1488, 1536, 1000]);
    expect(ranks.every((r) => r % 16 === 0 && r <= 4096)).toBe(true);
    expect(ranks).toContain(1536);
    expect(ranks).not.toContain(1000);
    expect(ranks).toContain(4096);
  });

  it('offers any rank up to min(m, n) for low-rank and BLAST, including the paper odd ones', () => {
    const ranks = rankChoices('blast', 4096, 11008, 16, [1488]);
    expect(ranks).toContain(1488);
    expect(ranks[0]).toBe(1);
    expect(Math.max(...ranks)).toBe(4096);
    expect(rankChoices('dense', 8, 8, 1)).toEqual([]);
  });
});

describe('transitions keep the experiment valid', () => {
  it('picks a preset layer with its shape, tokens and knobs', () => {
    const e = withLayer(base, 'gpt2-s', 'c_attn');
    expect(e).toMatchObject({ preset: 'gpt2-s', layer: 'c_attn', n: 768, m: 2304, tokens: 384, blocks: 4, rank: 192 });
    const blast = withStructure(e, 'blast');
    expect(blast).toMatchObject({ blocks: 6, rank: 192, strategy: 'partial' });
    valid(blast);
  });

  it('falls back to defaults where a preset has no config for the structure (DiT-XL/2 Monarch)', () => {
    const dit = withLayer(withStructure(base, 'blast'), 'dit-xl-2', 'qkv_proj');
    const monarch = withStructure(dit, 'monarch');
    expect(monarch.blocks).toBe(4);
    expect(monarch.rank % monarch.blocks).toBe(0);
    valid(monarch);
  });

  it('leaves the preset on a custom shape and keeps knobs that still fit', () => {
    const e = withShape(base, 160, 96);
    expect(e).toMatchObject({ preset: null, layer: null, m: 160, n: 96, blocks: 16, rank: 16 });
    valid(e);
    expect(withShape(e, 320, 192)).toMatchObject({ blocks: 16, rank: 16 });
    const odd = withShape(base, 97, 101);
    expect(odd.blocks).toBe(1);
    valid(odd);
  });

  it('moves a Monarch rank to a multiple of the new b', () => {
    const e = withRank(withBlocks(withShape(base, 160, 96), 4), 32);
    expect(withBlocks(e, 32).rank % 32).toBe(0);
    valid(withBlocks(e, 32));
  });

  it('gives every structure a strategy it has', () => {
    for (const kind of STRUCTURE_KINDS) {
      const e = withStructure(base, kind);
      expect(STRATEGIES[kind]).toContain(e.strategy);
      valid(e);
    }
    expect(withStrategy(base, 'tiled')).toBe(base);
    expect(withStrategy(base, 'fused').strategy).toBe('fused');
  });

  it('drops f16 when the adapter lacks it', () => {
    expect(withDtype(base, 'f16', { f16: false }).dtype).toBe('f32');
    expect(withDtype(base, 'f16', { f16: true }).dtype).toBe('f16');
  });

  it('repairs a broken experiment (a decoded link) into a valid one', () => {
    const broken = { ...base, m: 100.5, n: -3, tokens: NaN, blocks: 7, rank: 5000, strategy: 'tiled', preset: 'nope', sweep: [16, 1, 16, 0], views: ['timing', 'bogus', 'timing'] } as unknown as ExperimentState;
    const fixed = normalise(broken);
    expect(fixed).toMatchObject({ preset: null, layer: null, m: 4096, n: 4096, tokens: 1024, strategy: 'partial', sweep: [16, 1], views: ['timing'] });
    valid(fixed);
  });

  it('leaves every experiment the link codec accepts as it is, so a link reopens exactly', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 500; i++) {
      const e = randomExperiment(rand, PRESETS);
      expect(normalise(e)).toEqual(e);
    }
  });

  it('keeps the preset only while the shape is its layer shape', () => {
    expect(normalise({ ...base, m: 4096, n: 4096 }).preset).toBe('llama-7b');
    expect(asCustom(base)).toMatchObject({ preset: null, layer: null, m: 4096 });
  });

  it('takes tokens and sweeps', () => {
    expect(withTokens(base, 7).tokens).toBe(7);
    expect(withSweep(base, [1, 7, 7]).sweep).toEqual([1, 7]);
    expect(withSweep(base, [])).toBe(base);
  });

  it('every preset layer is a valid experiment for every structure', () => {
    for (const [preset, layer] of [['llama-7b', 'gate_up_proj'], ['llama-1b', 'down_proj'], ['vit-b-16', 'mlp_fc2']] as const) {
      expect(findLayer(preset, layer)).toBeDefined();
      for (const kind of STRUCTURE_KINDS) valid(withStructure(withLayer(base, preset, layer), kind));
    }
  });
});

describe('withView', () => {
  it('hides and shows a view, keeping the canonical order and the views it does not touch', () => {
    const hidden = withView(base, 'roofline', false);
    expect(hidden.views).toEqual(['structure', 'timing', 'compare']);
    expect(withView(hidden, 'roofline', true).views).toEqual(base.views);
    expect(withView(base, 'traffic', true).views).toEqual(['structure', 'traffic', 'roofline', 'timing', 'compare']);
    expect(withView({ ...base, views: [] }, 'timing', true).views).toEqual(['timing']);
  });
});

describe('parseTokenList', () => {
  it('reads commas and spaces, sorted and unique', () => {
    expect(parseTokenList('16, 1 128,16', 4096)).toEqual({ tokens: [1, 16, 128] });
  });
  it('names the bad entry', () => {
    expect(parseTokenList('1, x', 4096)).toEqual({ error: '"x" is not a whole number ≥ 1' });
    expect(parseTokenList('1, 0', 4096)).toMatchObject({ error: expect.stringContaining('"0"') });
    expect(parseTokenList('9000', 4096)).toEqual({ error: '9000 is over the limit of 4096 tokens' });
    expect(parseTokenList('  ', 4096)).toEqual({ error: 'enter at least one token count' });
    expect(parseTokenList('1 2 3', 4096, 2)).toEqual({ error: 'at most 2 token counts' });
  });
});
