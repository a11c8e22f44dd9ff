import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../lib/presets';
import { DEFAULT_EXPERIMENT } from '../../lib/share/state';
import { experimentTitle } from './title';

describe('experimentTitle', () => {
  it('names the preset layer, the structure with its knobs and the tokens', () => {
    expect(experimentTitle(DEFAULT_EXPERIMENT, PRESETS)).toBe('Llama-7B qkvo_proj · Monarch b=16 R=1024 · T=1024 — BLR Playground');
  });

  it('names a custom shape as n → m, and f16', () => {
    const e = { ...DEFAULT_EXPERIMENT, preset: null, layer: null, m: 160, n: 96, tokens: 7, structure: 'blast' as const, blocks: 4, rank: 32, dtype: 'f16' as const };
    expect(experimentTitle(e, PRESETS)).toBe('custom 96 → 160 · BLAST b=4 r=32 · T=7 · f16 — BLR Playground');
  });

  it('leaves out knobs the structure does not use', () => {
    expect(experimentTitle({ ...DEFAULT_EXPERIMENT, structure: 'dense', strategy: 'tiled' }, PRESETS)).toBe('Llama-7B qkvo_proj · dense · T=1024 — BLR Playground');
  });
});
