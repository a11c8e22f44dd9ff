/**
 * The dispatch list of each (structure, strategy), in elements. Each list mirrors the WGSL plan
 * of the same strategy (docs/structures.md#kernel-strategies); where a strategy coincides with a
 * variant of the paper's roofline.py, the totals equal that variant's formula
 * (docs/cost-model.md#agreement-with-the-paper).
 */
import type { Problem, Strategy } from '../structures/types';
import type { TensorRole } from './types';

/** A dispatch before pricing: which tensors it reads and writes once, and its FLOPs. */
export interface DispatchPlan {
  name: string;
  flops: number;
  reads: string[];
  writes: string[];
}

/** Element count and role of every tensor a strategy touches, by name. */
export type TensorTable = Record<string, { role: TensorRole; elements: number }>;

export interface StrategyPlan {
  tensors: TensorTable;
  dispatches: DispatchPlan[];
}

const step = (name: string, flops: number, reads: string[], writes: string[]): DispatchPlan => ({ name, flops, reads, writes });

/** The plan of `strategy` for `problem`; the caller has checked the pair is in STRATEGIES. */
export function strategyPlan(problem: Problem, strategy: Strategy): StrategyPlan {
  const { m, n, tokens: T } = problem.shape;
  const s = problem.structure;
  const io: TensorTable = { X: { role: 'input', elements: T * n }, Y: { role: 'output', elements: T * m } };
  const weight = (elements: number) => ({ role: 'weight' as const, elements });
  const intermediate = (elements: number) => ({ role: 'intermediate' as const, elements });

  switch (s.kind) {
    case 'dense':
      return {
        tensors: { ...io, W: weight(m * n) },
        dispatches: [step('gemm', 2 * T * m * n, ['X', 'W'], ['Y'])],
      };

    case 'lowrank': {
      const { rank: r } = s;
      const tensors = { ...io, V: weight(n * r), U: weight(m * r) };
      if (strategy === 'fused') return { tensors, dispatches: [step('fused', 2 * T * r * (m + n), ['X', 'V', 'U'], ['Y'])] };
      return {
        tensors: { ...tensors, Z: intermediate(T * r) },
        dispatches: [step('gemm-v', 2 * T * r * n, ['X', 'V'], ['Z']), step('gemm-u', 2 * T * r * m, ['Z', 'U'], ['Y'])],
      };
    }

    case 'monarch': {
      const { blocks: b, rank: R } = s;
      const tensors = { ...io, W1: weight(R * n), W2: weight(m * R) };
      const stage1 = 2 * T * R * n;
      const stage2 = 2 * T * R * m;
      switch (strategy) {
        case 'unfused':
          // PyTorch eager: the permuted intermediate and the interleaved output are real copies.
          return {
            tensors: { ...tensors, out1: intermediate(b * T * R), out1p: intermediate(b * T * R), out2: intermediate(T * m) },
            dispatches: [
              step('stage1-bmm', stage1, ['X', 'W1'], ['out1']),
              step('permute', 0, ['out1'], ['out1p']),
              step('stage2-bmm', stage2, ['out1p', 'W2'], ['out2']),
              step('output-permute', 0, ['out2'], ['Y']),
            ],
          };
        case 'partial':
          // Stage 1 stores out1 already permuted; stage 2 writes the interleaved Y directly.
          return {
            tensors: { ...tensors, out1: intermediate(b * T * R) },
            dispatches: [step('stage1-gemm', stage1, ['X', 'W1'], ['out1']), step('stage2-gemm', stage2, ['out1', 'W2'], ['Y'])],
          };
        default: // fused
          return { tensors, dispatches: [step('fused', stage1 + stage2, ['X', 'W1', 'W2'], ['Y'])] };
      }
    }

    case 'blast': {
      const { blocks: b, rank: r } = s;
      const tensors = { ...io, V: weight(n * r), S: weight(b * b * r), U: weight(m * r) };
      const projectV = 2 * T * r * n;
      const couple = 2 * T * b * b * r;
      const projectU = 2 * T * r * m;
      switch (strategy) {
        case 'unfused':
          return {
            tensors: { ...tensors, Yb: intermediate(b * T * r), Z: intermediate(b * T * r), out: intermediate(T * m) },
            dispatches: [
              step('bmm-v', projectV, ['X', 'V'], ['Yb']),
              step('couple', couple, ['Yb', 'S'], ['Z']),
              step('bmm-u', projectU, ['Z', 'U'], ['out']),
              step('output-transpose', 0, ['out'], ['Y']),
            ],
          };
        case 'partial':
          // Yb stays in the workgroup: X·V, the s_ij scaling and the sum over j are one dispatch.
          return {
            tensors: { ...tensors, Z: intermediate(b * T * r) },
            dispatches: [step('xvs-sum', projectV + couple, ['X', 'V', 'S'], ['Z']), step('gemm-u', projectU, ['Z', 'U'], ['Y'])],
          };
        default: // fused
          return { tensors, dispatches: [step('fused', projectV + couple + projectU, ['X', 'V', 'S', 'U'], ['Y'])] };
      }
    }
  }
}
