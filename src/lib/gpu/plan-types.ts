import type { DType, Factors } from '../structures/types';
import type { KernelName, Specialisation } from './shaders';
import type { PlanInfo } from './types';

export type TensorRole = 'input' | 'weight' | 'intermediate' | 'output';

export interface TensorDecl {
  elements: number;
  role: TensorRole;
  /** stored as f32 whatever the plan's dtype (split-K partial sums) */
  f32?: boolean;
}

/** Inputs and weights: filled from data, one copy per timing set so caches cannot keep one warm. */
export function isRotated(t: TensorDecl): boolean {
  return t.role === 'input' || t.role === 'weight';
}

/**
 * One dispatch: which kernel, specialised how, over which tensors, with which u32 parameters,
 * both by the names of the kernel's interface (kernel-io.ts), and its FLOPs. The cost model
 * prices exactly these steps: each tensor a step binds is read or written once (kernel-io.ts
 * says which), so whatever the plan adds for an adapter (split-K's partial sums) is counted.
 */
export interface Step {
  /** the dispatch's name, e.g. 'stage1-gemm', as the views show it */
  name: string;
  kernel: KernelName;
  spec: Specialisation;
  /** the kernel's entry point where it has more than `main` */
  entryPoint?: string;
  overrides: Record<string, number>;
  /** the kernel's binding name → the plan's tensor bound there */
  bindings: Record<string, string>;
  /** the kernel's parameter name → its value */
  params: Record<string, number>;
  workgroups: [number, number, number];
  /** arithmetic of the dispatch: 2 per multiply-add */
  flops: number;
}

/** Dispatches over named tensors: what a PlanInstance makes real on a device. */
export interface Kernels {
  dtype: DType;
  tensors: Record<string, TensorDecl>;
  steps: Step[];
}

/** Everything needed to run one (problem, strategy) on a device. */
export interface Plan extends Kernels {
  info: PlanInfo;
  /** the factor tensors laid out the way this plan's kernels read them, keyed by tensor name */
  layoutWeights(f: Factors): Record<string, Float64Array>;
}
