import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanLimits } from '../gpu/plans';
import { forwardFlops, parameterCount } from '../structures/shapes';
import { DTYPES, type Problem, type Strategy, type StructureSpec } from '../structures/types';
import { STRATEGIES } from '../structures/kinds';
import { IDEAL_ADAPTER, strategyCost } from './index';

const shape = { m: 48, n: 24, tokens: 5 };
const structures: StructureSpec[] = [
  { kind: 'dense' },
  { kind: 'lowrank', rank: 7 },
  { kind: 'monarch', blocks: 4, rank: 8 },
  { kind: 'blast', blocks: 3, rank: 10 },
];
const cases: [StructureSpec, Strategy][] = structures.flatMap((s) => STRATEGIES[s.kind].map((st): [StructureSpec, Strategy] => [s, st]));
const problem = (structure: StructureSpec, dtype: Problem['dtype'] = 'f16'): Problem => ({ shape, structure, dtype });

/** A real adapter's limits: small enough workgroup memory that fused kernels fall back, products that split K. */
const ADAPTER: PlanLimits = { maxComputeWorkgroupStorageSize: 16384, maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 };

describe('strategyCost', () => {
  it.each(cases)('%o %s: the dispatches are the plan\'s steps, on the ideal adapter and on a real one, in every dtype', (structure, strategy) => {
    for (const dtype of DTYPES) {
      for (const [adapter, shapeOf] of [[IDEAL_ADAPTER, shape], [ADAPTER, { m: 96, n: 2400, tokens: 40 }]] as const) {
        const p: Problem = { shape: shapeOf, structure, dtype };
        const plan = buildPlan(p, strategy, adapter);
        const c = strategyCost(p, strategy, adapter);
        expect(c.ran ?? c.strategy).toBe(plan.info.strategy);
        expect(c.dispatches.map((d) => [d.name, d.flops])).toEqual(plan.steps.map((s) => [s.name, s.flops]));
        // every tensor a step binds, once, at its width
        c.dispatches.forEach((d, i) => expect(d.tensors.map((t) => t.tensor).sort()).toEqual(Object.values(plan.steps[i].bindings).sort()));
      }
    }
  });

  it.each(cases)('%o %s: FLOPs and params', (structure, strategy) => {
    const c = strategyCost(problem(structure), strategy);
    expect(c.flops).toBe(forwardFlops(shape, structure));
    expect(c.params).toBe(parameterCount(shape, structure));
  });

  it('counts split-K\'s f32 partial sums where the adapter splits a product, and none on the ideal adapter', () => {
    const p: Problem = { shape: { m: 64, n: 4096, tokens: 40 }, structure: { kind: 'dense' }, dtype: 'f16' };
    const split = strategyCost(p, 'tiled', ADAPTER);
    expect(split.dispatches.map((d) => d.name)).toEqual(['gemm', expect.stringMatching(/^gemm \(split-K ×\d+ reduce\)$/)]);
    const partials = split.dispatches[0].tensors.find((t) => t.tensor === 'gemm:partials')!;
    const splits = partials.bytesWritten / (4 * 40 * 64);
    expect(Number.isInteger(splits) && splits > 1).toBe(true);
    expect(split.dispatches[1].tensors.find((t) => t.tensor === 'gemm:partials')!.bytesRead).toBe(partials.bytesWritten);
    expect(split.bytes).toBe(strategyCost(p, 'tiled').bytes + 2 * partials.bytesWritten);
  });

  it('prices a fused strategy that does not fit the adapter as the strategy it falls back to', () => {
    const p: Problem = { shape: { m: 4096, n: 4096, tokens: 16 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f16' };
    const c = strategyCost(p, 'fused', ADAPTER);
    expect([c.strategy, c.ran]).toEqual(['fused', 'partial']);
    expect(c.dispatches.map((d) => d.name)).toEqual(strategyCost(p, 'partial', ADAPTER).dispatches.map((d) => d.name));
  });

  it.each(cases)('%o %s: bytes add up dispatch by dispatch', (structure, strategy) => {
    const c = strategyCost(problem(structure), strategy);
    for (const d of c.dispatches) expect(d.bytes).toBe(d.tensors.reduce((s, t) => s + t.bytesRead + t.bytesWritten, 0));
    expect(c.bytes).toBe(c.dispatches.reduce((s, d) => s + d.bytes, 0));
    expect(c.intensity).toBe(c.flops / c.bytes);
  });

  it.each(cases)('%o %s: reads X once, writes Y once, every intermediate written once and read once', (structure, strategy) => {
    const traffic = strategyCost(problem(structure), strategy).dispatches.flatMap((d) => d.tensors);
    const { m, n, tokens: T } = shape;
    const sum = (role: string, key: 'bytesRead' | 'bytesWritten') => traffic.filter((t) => t.role === role).reduce((s, t) => s + t[key], 0);
    expect(sum('input', 'bytesRead')).toBe(2 * T * n);
    expect(sum('output', 'bytesWritten')).toBe(2 * T * m);
    expect(sum('output', 'bytesRead')).toBe(0);
    expect(sum('weight', 'bytesRead')).toBe(2 * parameterCount(shape, structure));
    expect(sum('weight', 'bytesWritten')).toBe(0);
    expect(sum('intermediate', 'bytesRead')).toBe(sum('intermediate', 'bytesWritten'));
  });

  it('BLAST unfused counts the coupling pass: Yb and Z each cost a write and a read', () => {
    const { m, n, tokens: T } = shape;
    const [b, r] = [3, 10];
    const c = strategyCost(problem({ kind: 'blast', blocks: b, rank: r }), 'unfused');
    const couple = c.dispatches.find((d) => d.name === 'couple')!;
    expect(couple.flops).toBe(2 * T * b * b * r);
    expect(couple.tensors).toEqual([
      { tensor: 'Yb', role: 'intermediate', bytesRead: 2 * b * T * r, bytesWritten: 0 },
      { tensor: 'S', role: 'weight', bytesRead: 2 * b * b * r, bytesWritten: 0 },
      { tensor: 'Z', role: 'intermediate', bytesRead: 0, bytesWritten: 2 * b * T * r },
    ]);
    expect(c.bytes).toBe(2 * (T * n + n * r + b * b * r + m * r + 4 * b * T * r + 3 * T * m));
  });

  it('f32 moves twice the bytes of f16 and the same FLOPs', () => {
    for (const [structure, strategy] of cases) {
      const half = strategyCost(problem(structure, 'f16'), strategy);
      const full = strategyCost(problem(structure, 'f32'), strategy);
      expect(full.bytes).toBe(2 * half.bytes);
      expect(full.flops).toBe(half.flops);
      full.dispatches.forEach((d, i) => expect(d.bytes).toBe(2 * half.dispatches[i].bytes));
    }
  });

  it('throws on a strategy the structure does not have, naming the ones it has', () => {
    expect(() => strategyCost(problem({ kind: 'dense' }), 'fused')).toThrow("strategy 'fused' does not exist for dense; choose one of tiled");
    expect(() => strategyCost(problem({ kind: 'monarch', blocks: 4, rank: 8 }), 'tiled')).toThrow(/choose one of unfused, partial, fused/);
    expect(() => strategyCost(problem({ kind: 'lowrank', rank: 7 }), 'partial')).toThrow(/does not exist for lowrank/);
  });

  it('throws on an invalid problem', () => {
    expect(() => strategyCost(problem({ kind: 'blast', blocks: 5, rank: 4 }), 'fused')).toThrow(/blocks b=5 must divide n=24/);
  });
});
