/**
 * What the block-structure view draws: the chosen structure scaled down to a small instance
 * (b kept), its factors as blocks, and for each block the entries of the dense matrix it
 * produces. How each structure scales and what its factors look like is its module's
 * (src/lib/structures/kinds/).
 */
import { denseEquivalent } from '../../lib/structures/dense-equivalent';
import type { FactorPanel, SmallInstance } from '../../lib/structures/drawing';
import { randomFactors } from '../../lib/structures/init';
import { structureOf } from '../../lib/structures/kinds';
import type { StructureSpec } from '../../lib/structures/types';

export type { FactorBlock, FactorPanel, Region, SmallInstance } from '../../lib/structures/drawing';

export interface StructureDrawing {
  instance: SmallInstance;
  /** factors left to right, as in W = A · B · C */
  panels: FactorPanel[];
  /** the dense equivalent, row-major m × n */
  dense: Float64Array;
}

/**
 * The structure at a size that can be drawn entry by entry: m and n scaled to at most `maxDim`
 * (never below one entry per block), b kept, the rank scaled by the same factor within its
 * valid range (Monarch: a multiple of b, at least one rank per block pair) and so that b·r stays
 * near the drawing's MAX_INTERMEDIATE. With b ≤ LIMITS.blocks, what is drawn is bounded
 * whatever the layer.
 */
export function smallInstance(m: number, n: number, spec: StructureSpec, maxDim = 64): SmallInstance {
  return structureOf(spec).smallInstance(m, n, spec, maxDim);
}

export function structureDrawing(m: number, n: number, spec: StructureSpec, seed: number, maxDim = 64): StructureDrawing {
  const instance = smallInstance(m, n, spec, maxDim);
  const shape = { m: instance.m, n: instance.n, tokens: 1 };
  const dense = denseEquivalent(shape, instance.spec, randomFactors(shape, instance.spec, seed));
  return { instance, panels: structureOf(instance.spec).panels(instance), dense };
}
