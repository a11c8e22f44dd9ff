import { describe, expect, it } from 'vitest';
import { strategyCost } from '../cost/strategy-cost';
import type { StructureSpec } from '../structures/types';
import { byKernel, ruleSource } from './testing';
import { bestVerdict, rankSources, speedPhrase, verdictFrom, type VerdictQuery } from './verdict';

const MONARCH: StructureSpec = { kind: 'monarch', blocks: 16, rank: 1024 };
const query = (over: Partial<VerdictQuery> = {}): VerdictQuery => ({
  m: 4096,
  n: 4096,
  tokens: 1024,
  selected: MONARCH,
  structures: [{ kind: 'lowrank', rank: 1024 }, MONARCH, { kind: 'blast', blocks: 16, rank: 1024 }],
  ...over,
});

describe('speedPhrase', () => {
  it('says faster, slower, or as fast within 5 %', () => {
    expect(speedPhrase(1.7)).toBe('runs 1.7× faster than dense');
    expect(speedPhrase(1 / 1.25)).toBe('runs 1.3× slower than dense');
    expect(speedPhrase(1.02)).toBe('runs as fast as dense');
  });
});

describe('the verdict', () => {
  const measured = ruleSource(byKernel({ dense: 1.7, 'monarch unfused': 2.04, 'monarch partial': 1, 'monarch fused': 3.4, 'lowrank tiled': 0.9 }), { id: 'gpu-x' });

  it("names the selected structure's fastest kernel, its bytes against dense's, and its baseline", () => {
    const v = verdictFrom(measured, query())!;
    const bytes = (s: StructureSpec, strategy: 'tiled' | 'partial') => strategyCost({ shape: { m: 4096, n: 4096, tokens: 1024 }, structure: s, dtype: 'f16' }, strategy).bytes;
    const ratio = bytes(MONARCH, 'partial') / bytes({ kind: 'dense' }, 'tiled');
    expect(v.sentence).toBe(
      `At 1024 tokens on gpu-x, Monarch partial runs 1.7× faster than dense and moves ${ratio.toFixed(1)}× dense's bytes; unfused Monarch (the baseline) would run 1.2× slower than dense.`,
    );
    expect(v.tokens).toBe(1024);
    expect(v.bars.filter((b) => b.selected).map((b) => b.kernel.strategy)).toEqual(['unfused', 'partial', 'fused']);
    expect(v.bars.find((b) => b.kernel.kind === 'lowrank')!.speedup).toBeCloseTo(1.7 / 0.9, 12);
  });

  it('for a dense layer, names the fastest structure and the best of each other', () => {
    const v = verdictFrom(measured, query({ selected: { kind: 'dense' } }))!;
    expect(v.sentence).toContain('the fastest replacement for this dense layer is Low-rank tiled, which runs 1.9× faster than dense');
    expect(v.sentence).toContain('Monarch partial 1.7× faster');
  });

  it("says when it answers at the source's nearest token count", () => {
    const v = verdictFrom(measured, query({ tokens: 700 }))!;
    expect(v.tokens).toBe(1024);
    expect(v.sentence).toMatch(/^At 1024 tokens \(the nearest the source has to 700\) on gpu-x,/);
  });

  it('has nothing from a source without the selected structure', () => {
    expect(verdictFrom(ruleSource(byKernel({ dense: 1, 'lowrank tiled': 0.5 })), query())).toBeNull();
  });
});

describe('which source answers', () => {
  const rule = byKernel({ dense: 1, 'monarch partial': 0.5 });
  const own = ruleSource(rule, { id: 'own', kind: 'this-gpu' });
  const software = ruleSource(rule, { id: 'swiftshader', kind: 'this-gpu', caveat: 'software adapter: not representative' });
  const measured = ruleSource(rule, { id: 'measured' });
  const measuredF16 = ruleSource(rule, { id: 'measured-f16', dtype: 'f16' });
  const modelled = ruleSource(rule, { id: 'modelled', modelled: true });
  const model = ruleSource(rule, { id: 'model', kind: 'cost-model', modelled: true });
  const empty = ruleSource(() => null, { id: 'empty' });

  it("this GPU first, then measured feeds (the experiment's dtype first), modelled ones, a software adapter, the cost model", () => {
    const order = rankSources([model, software, modelled, measured, measuredF16, empty, own], query(), 'f16').map((s) => s.id);
    expect(order).toEqual(['own', 'measured-f16', 'measured', 'modelled', 'swiftshader', 'model']);
  });

  it("a software adapter's timings never outrank a measured device", () => {
    expect(bestVerdict([software, measured, model], query(), 'f32')!.source.id).toBe('measured');
    expect(bestVerdict([software, model], query(), 'f32')!.source.id).toBe('swiftshader');
  });

  it('a source with the exact token count outranks one with only a nearby count', () => {
    const near = ruleSource((q) => (q.shape.tokens === 1024 ? null : rule(q, '', '')), { id: 'near', extraTokens: [512] });
    expect(rankSources([near, measured], query(), 'f32').map((s) => s.id)).toEqual(['measured', 'near']);
  });
});
