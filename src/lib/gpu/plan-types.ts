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

/** One dispatch: which kernel, specialised how, over which tensors, with which u32 parameters. */
export interface Step {
  /** the cost model's name for this dispatch */
  name: string;
  kernel: KernelName;
  spec: Specialisation;
  /** the kernel's entry point where it has more than `main` */
  entryPoint?: string;
  overrides: Record<string, number>;
  /** tensor names in binding order; the uniform parameters take the next binding */
  bindings: string[];
  params: number[];
  workgroups: [number, number, number];
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
