import { describe, expect, it } from 'vitest';
import { forwardFlops, parameterCount } from '../structures/shapes';
import { STRATEGIES, type Problem, type Strategy, type StructureSpec } from '../structures/types';
import { strategyCost } from './index';

const shape = { m: 48, n: 24, tokens: 5 };
const structures: StructureSpec[] = [
  { kind: 'dense' },
  { kind: 'lowrank', rank: 7 },
  { kind: 'monarch', blocks: 4, rank: 8 },
  { kind: 'blast', blocks: 3, rank: 10 },
];
const cases: [StructureSpec, Strategy][] = structures.flatMap((s) => STRATEGIES[s.kind].map((st): [StructureSpec, Strategy] => [s, st]));
const problem = (structure: StructureSpec, dtype: Problem['dtype'] = 'f16'): Problem => ({ shape, structure, dtype });

const expectedDispatches: Record<string, string[]> = {
  'dense tiled': ['gemm'],
  'lowrank tiled': ['gemm-v', 'gemm-u'],
  'lowrank fused': ['fused'],
  'monarch unfused': ['stage1-bmm', 'permute', 'stage2-bmm', 'output-permute'],
  'monarch partial': ['stage1-gemm', 'stage2-gemm'],
  'monarch fused': ['fused'],
  'blast unfused': ['bmm-v', 'couple', 'bmm-u', 'output-transpose'],
  'blast partial': ['xvs-sum', 'gemm-u'],
  'blast fused': ['fused'],
};

describe('strategyCost', () => {
  it('covers every strategy of the STRATEGIES table', () => {
    expect(cases.map(([s, st]) => `${s.kind} ${st}`).sort()).toEqual(Object.keys(expectedDispatches).sort());
  });

  it.each(cases)('%o %s: dispatch names, FLOPs and params', (structure, strategy) => {
    const c = strategyCost(problem(structure), strategy);
    expect(c.dispatches.map((d) => d.name)).toEqual(expectedDispatches[`${structure.kind} ${strategy}`]);
    expect(c.flops).toBe(forwardFlops(shape, structure));
    expect(c.params).toBe(parameterCount(shape, structure));
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
    expect(() => strategyCost(problem({ kind: 'dense' }), 'fused')).toThrow("strategy 'fused' does not exist for dense; use one of tiled");
    expect(() => strategyCost(problem({ kind: 'monarch', blocks: 4, rank: 8 }), 'tiled')).toThrow(/use one of unfused, partial, fused/);
    expect(() => strategyCost(problem({ kind: 'lowrank', rank: 7 }), 'partial')).toThrow(/does not exist for lowrank/);
  });

  it('throws on an invalid problem', () => {
    expect(() => strategyCost(problem({ kind: 'blast', blocks: 5, rank: 4 }), 'fused')).toThrow(/blocks b=5 must divide n=24/);
  });
});
