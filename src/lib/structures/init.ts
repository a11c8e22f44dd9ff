import { mulberry32, uniformArray } from './random';
import { factorSizes } from './shapes';
import type { Factors, LayerShape, StructureSpec } from './types';

/**
 * Seeded random factors, each stage scaled by 1/√fan-in so outputs stay O(1) whatever the
 * shape (keeps f16 in range and makes relErr comparable across shapes).
 */
export function randomFactors(shape: LayerShape, s: StructureSpec, seed: number): Factors {
  const rand = mulberry32(seed);
  const size = factorSizes(shape, s);
  const { n } = shape;
  const u = (len: number, fanIn: number) => uniformArray(len, 1 / Math.sqrt(fanIn), rand);
  switch (s.kind) {
    case 'dense':
      return { kind: 'dense', W: u(size.W, n) };
    case 'lowrank':
      return { kind: 'lowrank', V: u(size.V, n), U: u(size.U, s.rank) };
    case 'monarch':
      return { kind: 'monarch', W1: u(size.W1, n / s.blocks), W2: u(size.W2, s.rank) };
    case 'blast':
      return {
        kind: 'blast',
        V: u(size.V, n / s.blocks),
        S: u(size.S, s.blocks),
        U: u(size.U, s.rank),
      };
  }
}

/** Seeded input activations X (T × n), uniform in [-1, 1). The seed is offset from the factors'. */
export function randomInput(shape: LayerShape, seed: number): Float64Array {
  return uniformArray(shape.tokens * shape.n, 1, mulberry32(seed ^ 0x5bd1e995));
}
