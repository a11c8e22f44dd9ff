/** Structures, knobs and problem shapes, as the paper parameterises them (docs/structures.md#structures). */

export type StructureKind = 'dense' | 'lowrank' | 'monarch' | 'blast';
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

export type StructureSpec =
  | { kind: 'dense' }
  | { kind: 'lowrank'; rank: number }
  | { kind: 'monarch'; blocks: number; rank: number }
  | { kind: 'blast'; blocks: number; rank: number };

export interface Problem {
  shape: LayerShape;
  structure: StructureSpec;
  dtype: DType;
}

/**
 * Factor tensors, row-major, in the reference layout:
 * - dense:   W  (m × n)
 * - lowrank: U  (m × r), V (n × r)                 W = U·Vᵀ
 * - monarch: W1 (b × R × n/b), W2 (b × m/b × R)     the paper's w1_bfly_t / w2_bfly_t
 * - blast:   U  (b × m/b × r), V (b × n/b × r), S (b × b × r), S[i][j] couples out-block i ← in-block j
 */
export type Factors =
  | { kind: 'dense'; W: Float64Array }
  | { kind: 'lowrank'; U: Float64Array; V: Float64Array }
  | { kind: 'monarch'; W1: Float64Array; W2: Float64Array }
  | { kind: 'blast'; U: Float64Array; V: Float64Array; S: Float64Array };

export const STRUCTURE_KINDS: readonly StructureKind[] = ['dense', 'lowrank', 'monarch', 'blast'];
export const DTYPES: readonly DType[] = ['f32', 'f16'];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<DType, number> = { f32: 4, f16: 2 };

/**
 * Kernel strategies (docs/structures.md#kernel-strategies), the same names in shaders, CLI, feed and UI:
 * - tiled:   dense and low-rank GEMMs (workgroup tiles, vec4 loads, register blocking)
 * - unfused: PyTorch-eager-like, one dispatch per bmm/einsum and per permute copy
 * - partial: the paper's Triton design (Monarch right_left, BLAST partial + U GEMM)
 * - fused:   one dispatch per layer, intermediate kept on chip
 * - perm-fused: BLAST as three batched products whose layouts absorb every permutation (the
 *   paper's ⑤ permutation-only fusion, its triton_blast_bmm_fp16)
 */
export type Strategy = 'tiled' | 'unfused' | 'partial' | 'fused' | 'perm-fused';

export const STRATEGIES: Record<StructureKind, readonly Strategy[]> = {
  dense: ['tiled'],
  lowrank: ['tiled', 'fused'],
  monarch: ['unfused', 'partial', 'fused'],
  blast: ['unfused', 'partial', 'perm-fused', 'fused'],
};

/** Every strategy name of any structure, in STRATEGIES order. */
export const STRATEGY_NAMES: readonly Strategy[] = [...new Set(STRUCTURE_KINDS.flatMap((k) => STRATEGIES[k]))];

/**
 * The strategy a structure opens with, wherever it is chosen for the user (a link that names
 * none, a click on the structure, the CLI without --strategy): the paper's design where it has
 * one (low-rank's fused kernel, Monarch's and BLAST's partial), else the tiled GEMM.
 */
export const DEFAULT_STRATEGY: Record<StructureKind, Strategy> = {
  dense: 'tiled',
  lowrank: 'fused',
  monarch: 'partial',
  blast: 'partial',
};
