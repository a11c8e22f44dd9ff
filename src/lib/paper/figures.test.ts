import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { PAPER_DEVICES } from './devices';
import { fig3, fig4, fig8, fig9, fig9Table, csvOf } from './figures';
import { byKernel, ruleSource } from './testing';

describe('Fig. 3', () => {
  it('is each baseline over dense at Llama-7B’s three layers, at one token and at 1024', () => {
    const source = ruleSource(byKernel({ dense: 2, 'lowrank tiled': 1, 'monarch unfused': 3, 'blast unfused': 5 }), { extraTokens: [1] });
    const bars = fig3(source);
    expect(bars).toHaveLength(18);
    expect(bars.filter((b) => b.panel === 'single').every((b) => b.tokens === 1)).toBe(true);
    expect(bars.find((b) => b.panel === 'multi' && b.kernel.kind === 'blast')!.relative).toBe(2.5);
  });
});

describe('Fig. 4', () => {
  it('puts dense above the A40’s ridge and the Monarch and BLAST baselines below it, as the paper says', () => {
    const points = fig4(PAPER_DEVICES.a40.ceilings, 'bf16');
    const bound = (kind: string, strategy: string) => points.find((p) => p.kernel.kind === kind && p.kernel.strategy === strategy)!.bound;
    expect(bound('dense', 'tiled')).toBe('compute');
    expect(bound('lowrank', 'tiled')).toBe('compute');
    expect(bound('monarch', 'unfused')).toBe('memory');
    expect(bound('blast', 'unfused')).toBe('memory');
    for (const p of points) expect(p.idealMs).toBeCloseTo(Math.max(p.bytes / (696 * 2 ** 30), p.flops / 149.7e12) * 1e3, 12);
  });
});

describe('Fig. 8', () => {
  it('has a bar per layer-wise layer and kernel the source has, and none for a model it lacks', () => {
    const source = ruleSource((q, _l, preset) => (preset !== 'gpt2-s' ? null : q.structure.kind === 'dense' ? 1 : q.strategy === 'partial' ? 0.5 : null));
    const bars = fig8(source, 'gpt2-s');
    expect(bars.map((b) => `${b.layer} ${b.kernel.kind}`)).toEqual(['c_attn monarch', 'c_attn blast', 'c_fc monarch', 'c_fc blast', 'c_proj monarch', 'c_proj blast']);
    expect(bars.every((b) => b.speedup === 2)).toBe(true);
    expect(fig8(source, 'llama-7b')).toEqual([]);
  });
});

describe('Fig. 9', () => {
  it('sums each model per source, and leaves out a kernel a source lacks on any layer', () => {
    const a = ruleSource(byKernel({ dense: 1, 'blast partial': 0.8 }), { id: 'a' });
    const b = ruleSource((q, layer) => (q.structure.kind === 'dense' ? 1 : q.strategy === 'partial' && layer !== 'down_proj' ? 0.5 : null), { id: 'b' });
    const bars = fig9([a, b], 'llama-7b').filter((x) => x.kernel.kind === 'blast');
    expect(bars.map((x) => x.source.id)).toEqual(['a']);
    expect(bars[0].speedup).toBeCloseTo(1.25, 12);
    expect(bars[0].denseMs).toBe(128 + 64 + 32);
    const csv = csvOf(fig9Table(bars)).split('\r\n');
    expect(csv[0]).toBe('source,model,kernel,structure,strategy,replaced_layers_ms,dense_layers_ms,speedup_over_dense');
    expect(csv[1]).toMatch(/^a · test,Llama-7B,BLAST partial ④,blast,partial,/);
  });
});

describe('toCsv', () => {
  it('quotes cells with commas, quotes or line breaks, and leaves empty what is missing', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], [null, Number.NaN], ['line\nbreak', 1.5]])).toBe('a,b\r\n"x, y","say ""hi"""\r\n,\r\n"line\nbreak",1.5\r\n');
  });
});
