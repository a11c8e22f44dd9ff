/**
 * Problem shapes, dtypes, knobs and strategy names, as the paper parameterises them
 * (docs/structures.md#structures). Each structure's own knowledge is its module in kinds/; its
 * spec and factor types are gathered there, in the registry (kinds/index.ts).
 */
import type { StructureSpec } from './kinds';

export type { Factors, StructureKind, StructureSpec } from './kinds';

export type DType = 'f32' | 'f16';

/** Y (T × m) = X (T × n) · Wᵀ, as in nn.Linear. */
export interface LayerShape {
  /** output features */
  m: number;
  /** input features */
  n: number;
  /** tokens T = batch × sequence */
  tokens: number;
}

export interface Problem {
  shape: LayerShape;
  structure: StructureSpec;
  dtype: DType;
}

/** A structure's knobs; each structure has some of them (kinds/*.ts `knobs`). */
export interface Knobs {
  /** b, for Monarch and BLAST */
  blocks: number;
  /** r (low-rank, BLAST) or R (Monarch) */
  rank: number;
}

export type KnobName = keyof Knobs;

export const DTYPES: readonly DType[] = ['f32', 'f16'];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<DType, number> = { f32: 4, f16: 2 };

/**
 * Kernel strategies (docs/structures.md#kernel-strategies), the same names in shaders, CLI, feed
 * and UI; which structure has which, and its plan, is that structure's module (kinds/):
 * - tiled:   dense and low-rank GEMMs (workgroup tiles, vec4 loads, register blocking)
 * - unfused: PyTorch-eager-like, one dispatch per bmm/einsum and per permute copy
 * - partial: the paper's Triton design (Monarch right_left, BLAST partial + U GEMM)
 * - fused:   one dispatch per layer, intermediate kept on chip
 * - perm-fused: BLAST as three batched products whose layouts absorb every permutation (the
 *   paper's ⑤ permutation-only fusion, its triton_blast_bmm_fp16)
 */
export type Strategy = 'tiled' | 'unfused' | 'partial' | 'fused' | 'perm-fused';
