import { describe, expect, it } from 'vitest';
import { denseEquivalent, freshSeed, randomFactors, randomInput, referenceForward, compareOutputs, type LayerShape, type StructureSpec } from './index';

const cases: [LayerShape, StructureSpec][] = [
  [{ m: 12, n: 8, tokens: 3 }, { kind: 'dense' }],
  [{ m: 10, n: 14, tokens: 5 }, { kind: 'lowrank', rank: 3 }],
  [{ m: 12, n: 8, tokens: 3 }, { kind: 'monarch', blocks: 4, rank: 8 }],
  [{ m: 6, n: 10, tokens: 2 }, { kind: 'monarch', blocks: 2, rank: 6 }],
  [{ m: 9, n: 6, tokens: 4 }, { kind: 'blast', blocks: 3, rank: 5 }],
  [{ m: 8, n: 16, tokens: 3 }, { kind: 'blast', blocks: 4, rank: 2 }],
];

describe('f64 reference', () => {
  it.each(cases)('forward equals X·Wᵀ with W from the closed form (%o %o)', (shape, spec) => {
    const seed = freshSeed();
    const f = randomFactors(shape, spec, seed);
    const X = randomInput(shape, seed);
    const W = denseEquivalent(shape, spec, f);
    const viaDense = referenceForward(shape, { kind: 'dense' }, { kind: 'dense', W }, X);
    const direct = referenceForward(shape, spec, f, X);
    const acc = compareOutputs(direct, viaDense, shape.m);
    expect(acc.relErr, `seed ${seed}`).toBeLessThan(1e-13);
  });

  it('Monarch follows fly\'s blockdiag_butterfly_multiply step by step', () => {
    // Reproduce the four steps of fly's reference literally on one token:
    // blockdiag(W1), rearrange 'b (r l) -> b (l r)', blockdiag(W2), rearrange 'b (l s) -> b (s l)'.
    const shape = { m: 12, n: 8, tokens: 1 };
    const b = 4, R = 8;
    const spec = { kind: 'monarch', blocks: b, rank: R } as const;
    const f = randomFactors(shape, spec, 7);
    if (f.kind !== 'monarch') throw new Error();
    const x = randomInput(shape, 7);
    const p = shape.n / b, s = shape.m / b;
    const out1 = new Float64Array(b * R); // (k, q) flattened
    for (let k = 0; k < b; k++) for (let q = 0; q < R; q++) for (let i = 0; i < p; i++) out1[k * R + q] += f.W1[(k * R + q) * p + i] * x[k * p + i];
    // flat index a·l + j of (r', l) view, transposed to (l, r')
    const rp = (b * R) / b;
    const z = new Float64Array(b * rp);
    for (let j = 0; j < b; j++) for (let a = 0; a < rp; a++) z[j * rp + a] = out1[a * b + j];
    const out2 = new Float64Array(b * s);
    for (let j = 0; j < b; j++) for (let si = 0; si < s; si++) for (let c = 0; c < rp; c++) out2[j * s + si] += f.W2[(j * s + si) * R + c] * z[j * rp + c];
    const y = new Float64Array(shape.m);
    for (let j = 0; j < b; j++) for (let si = 0; si < s; si++) y[si * b + j] = out2[j * s + si];
    const ref = referenceForward(shape, spec, f, x);
    expect(compareOutputs(ref, y, shape.m).relErr).toBeLessThan(1e-14);
  });

  it('a row subset computes only those rows', () => {
    const shape = { m: 5, n: 4, tokens: 6 };
    const f = randomFactors(shape, { kind: 'dense' }, 1);
    const X = randomInput(shape, 1);
    const all = referenceForward(shape, { kind: 'dense' }, f, X);
    const some = referenceForward(shape, { kind: 'dense' }, f, X, [1, 4]);
    expect(compareOutputs(some, all, 5, [1, 4]).relErr).toBe(0);
    expect(some.subarray(0, 5).every((v) => v === 0)).toBe(true);
  });

  it('compareOutputs fails NaN and unwritten outputs', () => {
    const ref = new Float64Array([1, 2, 3, 4]);
    expect(compareOutputs(new Float64Array([1, 2, NaN, 4]), ref, 2).relErr).toBe(Infinity);
    expect(compareOutputs(new Float64Array([1, 2, 3, 4]), ref, 2).relErr).toBe(0);
  });
});
