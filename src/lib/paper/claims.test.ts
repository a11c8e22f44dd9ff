import { describe, expect, it } from 'vitest';
import { CLAIMS, checkClaim, claimPoints, endToEndSums, findClaim, statedText } from './claims';
import { BLAST_PERM_FUSED, DENSE } from './kernels';
import { layerWiseLayers, modelLayers, paperModel, PAPER_MODELS } from './models';
import { byKernel, ruleSource } from './testing';

const claim = (id: string) => findClaim(id)!;

describe('the claims', () => {
  it('each states in its own sentence the numbers it checks', () => {
    for (const c of CLAIMS) {
      for (const p of c.parts) {
        const s = p.stated;
        const numbers = s.kind === 'range' ? [s.lo, s.hi] : s.kind === 'up-to' ? [s.value] : [];
        for (const n of numbers) expect(c.quote, `${c.id}: ${n}`).toContain(n.toFixed(2));
      }
      expect(c.section).toMatch(/^§\d/);
      expect(c.parts.length).toBeGreaterThan(0);
    }
  });

  it('the six headline claims are there, in the issue’s order', () => {
    expect(CLAIMS.map((c) => c.id)).toEqual(['multi-token-baselines', 'single-token', 'monarch-optimised', 'blast-beats-dense', 'blast-partial-worse', 'end-to-end']);
  });

  it('writes what the paper states', () => {
    const [lr] = claim('multi-token-baselines').parts;
    expect(statedText(lr.stated)).toBe('0.53–0.59×');
    expect(statedText(claim('single-token').parts[0].stated)).toBe('about 2×');
    expect(statedText(claim('end-to-end').parts[0].stated)).toBe('up to 1.48×');
  });
});

describe('multi-token baselines against dense (Llama-7B, 1024 tokens)', () => {
  it('holds, within the paper’s ranges, where the ratios are the paper’s', () => {
    const source = ruleSource(byKernel({ dense: 2, 'lowrank tiled': 1.12, 'monarch unfused': 3, 'blast unfused': 7 }));
    const check = checkClaim(claim('multi-token-baselines'), source);
    expect(check.verdict).toBe('holds');
    expect(check.parts.map((p) => p.range)).toEqual([
      [0.56, 0.56],
      [1.5, 1.5],
      [3.5, 3.5],
    ]);
    expect(check.parts.every((p) => p.withinStated)).toBe(true);
    expect(check.parts[0].cases.map((c) => c.label)).toEqual(['Llama-7B Q/K/V/Oproj (T=1024)', 'Llama-7B gate/upproj (T=1024)', 'Llama-7B downproj (T=1024)']);
  });

  it('partly holds where Monarch’s baseline is faster than dense; a holding part outside the paper’s range says so', () => {
    const source = ruleSource(byKernel({ dense: 1, 'lowrank tiled': 0.5, 'monarch unfused': 0.9, 'blast unfused': 1.2 }));
    const check = checkClaim(claim('multi-token-baselines'), source);
    expect(check.parts.map((p) => p.verdict)).toEqual(['holds', 'does-not-hold', 'holds']);
    expect(check.verdict).toBe('partly');
    expect(check.parts[2].withinStated).toBe(false);
  });

  it('one layer failing fails an "all" part, and the range spans the layers', () => {
    const source = ruleSource((q) => (q.structure.kind === 'dense' ? 1 : q.structure.kind === 'monarch' && q.strategy === 'unfused' ? (q.shape.m === 11008 ? 0.8 : 1.3) : null));
    const [, monarch] = checkClaim(claim('multi-token-baselines'), source).parts;
    expect(monarch.verdict).toBe('does-not-hold');
    expect(monarch.range).toEqual([0.8, 1.3]);
    expect(monarch.cases.filter((c) => !c.passes)).toHaveLength(1);
  });

  it('is not measured where the source lacks the points, and lists what it lacks', () => {
    const check = checkClaim(claim('multi-token-baselines'), ruleSource(() => null));
    expect(check.verdict).toBe('not-measured');
    expect(check.parts[0].missing).toHaveLength(3);
  });
});

describe('single token: every BLR method about 2× faster than dense', () => {
  it('holds at 1.9× and not at 1.2×', () => {
    const at = (speedup: number) => ruleSource((q) => (q.shape.tokens !== 1 ? null : q.structure.kind === 'dense' ? 1 : 1 / speedup), { extraTokens: [1] });
    expect(checkClaim(claim('single-token'), at(1.9)).verdict).toBe('holds');
    const slow = checkClaim(claim('single-token'), at(1.2));
    expect(slow.verdict).toBe('does-not-hold');
    expect(slow.parts[0].withinStated).toBe(false);
  });
});

describe('optimised Monarch against its baseline', () => {
  it('runs over every Monarch layer of the paper’s models (none on DiT), each at its own token count', () => {
    const source = ruleSource(byKernel({ 'monarch unfused': 2, 'monarch partial': 1 }));
    const [part] = checkClaim(claim('monarch-optimised'), source).parts;
    expect(part.cases).toHaveLength(13);
    expect(part.cases.some((c) => c.label.startsWith('DiT'))).toBe(false);
    expect(part.cases.find((c) => c.label.startsWith('GPT2-S'))!.label).toContain('T=384');
    expect(part.verdict).toBe('holds');
    expect(part.withinStated).toBe(true);
  });
});

describe('BLAST ⑤ beats dense where its baseline loses', () => {
  const claimed = claim('blast-beats-dense');
  /** the BLAST baseline loses everywhere; ⑤ wins on `wins` of the 15 layers */
  const source = (wins: number) => {
    const layers = PAPER_MODELS.flatMap(layerWiseLayers).map((l) => `${l.model.preset}/${l.replaced.layer}`);
    const winners = new Set(layers.slice(0, wins));
    return ruleSource((q, layer, preset) => {
      if (q.structure.kind === 'dense') return 1;
      if (q.structure.kind !== 'blast') return null;
      if (q.strategy === 'unfused') return 2;
      if (q.strategy !== 'perm-fused') return null;
      return winners.has(`${preset}/${layer}`) ? 0.5 : 1.5;
    });
  };

  it('holds when ⑤ wins in at least 90 % of those layers, not below', () => {
    expect(checkClaim(claimed, source(15)).verdict).toBe('holds');
    expect(checkClaim(claimed, source(14)).verdict).toBe('holds'); // 14 of 15 = 93 %
    expect(checkClaim(claimed, source(13)).verdict).toBe('does-not-hold'); // 87 %
    expect(checkClaim(claimed, source(15)).parts[0].cases).toHaveLength(15);
  });

  it('counts only the layers where the baseline loses', () => {
    const half = ruleSource((q) => {
      if (q.structure.kind === 'dense') return 1;
      if (q.structure.kind !== 'blast') return null;
      if (q.strategy === 'unfused') return q.shape.tokens > 1000 ? 2 : 0.5;
      return q.strategy === 'perm-fused' ? 0.8 : null;
    });
    const [part] = checkClaim(claimed, half).parts;
    expect(part.cases.length).toBeGreaterThan(0);
    expect(part.cases.length).toBeLessThan(15);
  });

  it('has no case where the baseline never loses, and is not measured without ⑤ results', () => {
    const neverLoses = ruleSource(byKernel({ dense: 1, 'blast unfused': 0.5, 'blast perm-fused': 0.4 }));
    expect(checkClaim(claimed, neverLoses).parts[0].verdict).toBe('no-cases');
    const noFive = ruleSource(byKernel({ dense: 1, 'blast unfused': 2 }));
    expect(checkClaim(claimed, noFive).verdict).toBe('not-measured');
  });
});

describe('BLAST ④ against ⑤ and against the baseline', () => {
  it('"consistently worse" needs every layer, "in some cases worse" one', () => {
    const oneSlow = ruleSource((q, layer, preset) => {
      if (q.structure.kind !== 'blast') return null;
      if (q.strategy === 'perm-fused') return 1;
      if (q.strategy === 'partial') return 1.5;
      if (q.strategy === 'unfused') return preset === 'gpt2-s' && layer === 'c_attn' ? 1.2 : 3;
      return null;
    });
    const check = checkClaim(claim('blast-partial-worse'), oneSlow);
    expect(check.parts.map((p) => p.verdict)).toEqual(['holds', 'holds']);
    expect(check.parts[1].cases.filter((c) => c.passes).map((c) => c.label)).toEqual(['GPT2-S c_attn (T=384)']);
    const neverSlower = ruleSource(byKernel({ 'blast perm-fused': 1, 'blast partial': 1.5, 'blast unfused': 3 }));
    expect(checkClaim(claim('blast-partial-worse'), neverSlower).parts[1].verdict).toBe('does-not-hold');
  });

  it('without ⑤, judges only the part against the baseline and says one part is unjudged', () => {
    const noFive = checkClaim(claim('blast-partial-worse'), ruleSource(byKernel({ 'blast partial': 1.5, 'blast unfused': 3 })));
    expect(noFive.parts.map((p) => p.verdict)).toEqual(['not-measured', 'does-not-hold']);
    expect(noFive.verdict).toBe('does-not-hold');
    expect(noFive.unjudged).toBe(1);
    const holdsWithoutFive = checkClaim(claim('blast-partial-worse'), ruleSource(byKernel({ 'blast partial': 3, 'blast unfused': 1.5 })));
    expect(holdsWithoutFive.verdict).toBe('partly');
  });
});

describe('end to end: the replaced layers of a model summed', () => {
  it('weights each layer by its count in Table 3', () => {
    const counts = Object.fromEntries(modelLayers(paperModel('llama-7b')!).map((l) => [l.replaced.layer, l.count]));
    expect(counts).toEqual({ qkvo_proj: 128, gate_up_proj: 64, down_proj: 32 });
    const dense: Record<string, number> = { qkvo_proj: 1, gate_up_proj: 2, down_proj: 3 };
    const five: Record<string, number> = { qkvo_proj: 0.5, gate_up_proj: 2.5, down_proj: 1 };
    const source = ruleSource((q, layer, preset) => (preset !== 'llama-7b' ? null : q.structure.kind === 'dense' ? dense[layer] : q.strategy === 'perm-fused' ? five[layer] : null));
    const sums = endToEndSums('llama-7b', BLAST_PERM_FUSED, DENSE, source);
    expect(sums).toEqual({ top: 128 * 0.5 + 64 * 2.5 + 32 * 1, bottom: 128 * 1 + 64 * 2 + 32 * 3 });
    const [part] = checkClaim(claim('end-to-end'), source).parts;
    expect(part.cases.map((c) => c.label)).toEqual(['Llama-7B (prefill of 1024 tokens)']);
    expect(part.cases[0].value).toBeCloseTo(352 / 256, 12);
    expect(part.missing).toHaveLength(4);
  });

  it('times DiT’s adaLN at one token, the others at 16384', () => {
    const dit = modelLayers(paperModel('dit-xl-2')!);
    expect(dit.map((l) => [l.replaced.layer, l.tokens, l.count])).toEqual([
      ['qkv_proj', 16384, 28],
      ['fc1', 16384, 28],
      ['adaln', 1, 28],
    ]);
    const withoutOneToken = ruleSource((q) => (q.shape.tokens === 1 ? null : q.structure.kind === 'dense' ? 1 : 0.5));
    expect(endToEndSums('dit-xl-2', BLAST_PERM_FUSED, DENSE, withoutOneToken)).toBeNull();
  });

  it('is "excluded" for a model without the structure (Monarch on DiT)', () => {
    const source = ruleSource(() => 1);
    expect(endToEndSums('dit-xl-2', { kind: 'monarch', strategy: 'partial' }, DENSE, source)).toBe('excluded');
  });
});

describe('claimPoints', () => {
  it('lists each point a claim needs once', () => {
    const points = claimPoints(claim('multi-token-baselines'));
    expect(points).toHaveLength(12); // 3 layers × (dense, low-rank, Monarch, BLAST)
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(12);
    expect(points.every((p) => p.shape.tokens === 1024)).toBe(true);
  });
});
