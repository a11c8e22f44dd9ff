import { structureOf } from './kinds';
import { mulberry32, uniformArray } from './random';
import type { Factors, LayerShape, StructureSpec } from './types';

/**
 * Seeded random factors, each stage scaled by 1/√fan-in so outputs stay O(1) whatever the
 * shape (keeps f16 in range and makes relErr comparable across shapes).
 */
export function randomFactors(shape: LayerShape, s: StructureSpec, seed: number): Factors {
  const rand = mulberry32(seed);
  return structureOf(s).randomFactors(shape, s, (length, fanIn) => uniformArray(length, 1 / Math.sqrt(fanIn), rand));
}

/** Seeded input activations X (T × n), uniform in [-1, 1). The seed is offset from the factors'. */
export function randomInput(shape: LayerShape, seed: number): Float64Array {
  return uniformArray(shape.tokens * shape.n, 1, mulberry32(seed ^ 0x5bd1e995));
}
