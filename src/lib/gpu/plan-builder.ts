/**
 * What every plan builder shares: the adapter limits a plan is built for, the builder that
 * collects a plan's tensors and steps, and the helpers its structures' builders use. Each
 * structure's builders live in its module (src/lib/structures/kinds/); plans.ts picks one.
 * Layout conventions: X (T, n) and Y (T, m) row-major; intermediates (blocks, T, width).
 */
import { largestBinding } from '../structures/checks';
import type { Factors, Problem } from '../structures/types';
import { gemmSteps, grid1d, type GemmProblem, type MmaTile } from './gemm-plan';
import type { Plan, Step, TensorDecl } from './plan-types';
import type { MatrixUnit, Specialisation } from './shaders';

/**
 * Adapter limits the planner needs (any GPUSupportedLimits satisfies this), and the matrix
 * units its products run on, where they do (gemm-plan.ts).
 */
export interface PlanLimits {
  maxComputeWorkgroupStorageSize: number;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  matrix?: MatrixUnit;
  subgroupSize?: number;
  /** gemm-mma's tile for every product (for measuring tiles; by default gemm-plan.ts chooses) */
  mmaTile?: MmaTile;
  /** false: no product or block sum is split into partial sums (the cost model's ideal adapter) */
  splitK?: boolean;
}

/** What a builder makes: the plan's tensors and steps, and the weights laid out as its kernels read them. */
export type Built = { steps: Step[]; tensors: Record<string, TensorDecl>; layoutWeights: Plan['layoutWeights'] };

/** A builder's answer: the plan, or a reason it cannot run on this adapter (then the plan falls back). */
export type BuildResult = Built | { unfit: string };

/** Collects a plan's tensors (X and Y declared) and steps. */
export class PlanBuilder {
  readonly tensors: Record<string, TensorDecl> = {};
  readonly steps: Step[] = [];
  constructor(
    readonly problem: Problem,
    readonly limits: PlanLimits,
  ) {
    const { m, n, tokens } = problem.shape;
    this.tensor('X', tokens * n, 'input');
    this.tensor('Y', tokens * m, 'output');
  }
  /** declares a tensor; `f32` keeps it in f32 whatever the dtype (split partial sums) */
  tensor(name: string, elements: number, role: TensorDecl['role'], f32 = false): void {
    this.tensors[name] = f32 ? { elements, role, f32 } : { elements, role };
  }
  /** One strided, batched C = A·Bᵀ, as the gemm or gemv dispatches gemm-plan.ts makes of it. */
  gemm(name: string, g: GemmProblem): void {
    const ctx = {
      dtype: this.problem.dtype,
      workgroupBytes: this.limits.maxComputeWorkgroupStorageSize,
      bindingBytes: largestBinding(this.limits),
      addTensor: (t: string, d: TensorDecl) => (this.tensors[t] = d),
      matrix: this.limits.matrix,
      subgroupSize: this.limits.subgroupSize,
      mmaTile: this.limits.mmaTile,
      splitK: this.limits.splitK,
    };
    this.steps.push(...gemmSteps(name, g, ctx));
  }
  /** out[i0][i1][i2][i3] = src[i0·s0 + i1·s1 + i2·s2 + i3·s3] over output dims (·, d1, d2, d3). */
  permute(name: string, src: string, dst: string, dims: [number, number, number], strides: [number, number, number, number]): void {
    const total = this.tensors[dst].elements;
    this.step({
      name,
      kernel: 'permute',
      overrides: {},
      bindings: { src, dst },
      params: { d1: dims[0], d2: dims[1], d3: dims[2], total, s0: strides[0], s1: strides[1], s2: strides[2], s3: strides[3] },
      flops: 0,
      workgroups: grid1d(total),
    });
  }
  /** A dispatch in the problem's dtype, with any other compile-time constants it needs. */
  step(s: Omit<Step, 'spec'> & { spec?: Omit<Specialisation, 'dtype'> }): void {
    this.steps.push({ ...s, spec: { ...s.spec, dtype: this.problem.dtype } });
  }
  /** The plan with its weight layout. */
  build(layoutWeights: Plan['layoutWeights']): Built {
    return { steps: this.steps, tensors: this.tensors, layoutWeights };
  }
}

/** The factor tensors of a structure, checked to be of that structure. */
export function factorsOf<K extends Factors['kind']>(f: Factors, kind: K): Extract<Factors, { kind: K }> {
  if (f.kind !== kind) throw new Error(`expected ${kind} factors, got ${f.kind}`);
  return f as Extract<Factors, { kind: K }>;
}

/**
 * Tokens per workgroup for a fused kernel holding `floatsPerToken` (× `arrays`) floats of
 * intermediate per token on chip; 0 when even one token does not fit.
 */
export function tokensPerWorkgroup(floatsPerToken: number, arrays: number, limits: PlanLimits, tokens: number): number {
  const fit = Math.floor(limits.maxComputeWorkgroupStorageSize / (4 * arrays * floatsPerToken));
  return Math.min(fit, 8, tokens);
}
