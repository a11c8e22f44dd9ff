/** Every structure module keeps the registry's promises, whatever the structure. */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../limits';
import { IDEAL_ADAPTER } from '../../cost/strategy-cost';
import { denseEquivalent } from '../dense-equivalent';
import { randomFactors } from '../init';
import { knobsOf, specFrom } from '../knobs';
import { factorSizes } from '../shapes';
import { validateProblem } from '../validate';
import { DEFAULT_STRATEGY, STRATEGIES, structure, STRUCTURE_KINDS } from './index';

/** A small valid spec of each kind at 12 × 24: b = 4 (Monarch's R a multiple of it). */
const spec = (kind: (typeof STRUCTURE_KINDS)[number]) => {
  const m = structure(kind);
  return specFrom(kind, { blocks: 4, rank: m.rankStep(4) * 2 });
};
const shape = { m: 12, n: 24, tokens: 3 };

describe.each(STRUCTURE_KINDS)('the %s module', (kind) => {
  const m = structure(kind);
  const s = spec(kind);

  it('builds its spec from its own knobs only, and gives them back in its order', () => {
    expect(Object.keys(s)).toEqual(['kind', ...m.knobs]);
    expect(Object.keys(knobsOf(s))).toEqual([...m.knobs]);
    for (const knob of m.knobs) expect(() => specFrom(kind, { ...knobsOf(s), [knob]: undefined })).toThrow(`${kind} needs ${knob}`);
  });

  it('offers a default strategy it has, each strategy described once', () => {
    expect(STRATEGIES[kind]).toContain(DEFAULT_STRATEGY[kind]);
    expect(new Set(STRATEGIES[kind]).size).toBe(STRATEGIES[kind].length);
    for (const d of m.strategies) {
      expect(d.description.length).toBeGreaterThan(10);
      if (d.fallback) expect(STRATEGIES[kind]).toContain(d.fallback);
    }
  });

  it('draws factors of the sizes it declares, and a valid small instance', () => {
    expect(validateProblem({ shape, structure: s, dtype: 'f32' })).toEqual([]);
    const f = randomFactors(shape, s, 5);
    const sizes = factorSizes(shape, s);
    for (const [name, length] of Object.entries(sizes)) expect((f as unknown as Record<string, Float64Array>)[name]).toHaveLength(length);
    expect(denseEquivalent(shape, s, f)).toHaveLength(shape.m * shape.n);
    const small = m.smallInstance(4096, 4096, s, 64);
    expect(validateProblem({ shape: { m: small.m, n: small.n, tokens: 1 }, structure: small.spec, dtype: 'f32' })).toEqual([]);
  });

  it('plans every strategy on the ideal adapter with steps that name their kernel and FLOPs', () => {
    for (const d of m.strategies) {
      const built = d.plan({ shape, structure: s, dtype: 'f32' }, IDEAL_ADAPTER);
      if ('unfit' in built) throw new Error(`${kind} ${d.name}: ${built.unfit}`);
      expect(built.steps.length).toBeGreaterThan(0);
      for (const step of built.steps) expect(step.flops).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses each knob past LIMITS through the shared checks', () => {
    for (const knob of m.knobs) {
      const issues = validateProblem({ shape, structure: { ...s, [knob]: LIMITS[knob] + 1 } as typeof s, dtype: 'f32' });
      expect(issues.map((i) => i.field)).toContain(knob);
    }
  });
});
