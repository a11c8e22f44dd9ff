import type { LayerShape, StructureSpec } from './types';

/** Element counts of each factor tensor, in the reference layout of `Factors`. */
export function factorSizes(shape: LayerShape, s: StructureSpec): Record<string, number> {
  const { m, n } = shape;
  switch (s.kind) {
    case 'dense':
      return { W: m * n };
    case 'lowrank':
      return { U: m * s.rank, V: n * s.rank };
    case 'monarch':
      return { W1: s.rank * n, W2: m * s.rank };
    case 'blast':
      return { U: m * s.rank, V: n * s.rank, S: s.blocks * s.blocks * s.rank };
  }
}

/** Parameter count of the structured weight (the table of docs/structures.md#structures). */
export function parameterCount(shape: LayerShape, s: StructureSpec): number {
  return Object.values(factorSizes(shape, s)).reduce((a, b) => a + b, 0);
}

/** FLOPs of one forward pass over all tokens (multiply and add counted separately). */
export function forwardFlops(shape: LayerShape, s: StructureSpec): number {
  const { m, n, tokens: T } = shape;
  switch (s.kind) {
    case 'dense':
      return 2 * T * m * n;
    case 'lowrank':
    case 'monarch':
      return 2 * T * s.rank * (m + n);
    case 'blast':
      return 2 * T * s.rank * (m + n + s.blocks * s.blocks);
  }
}

/** Dense parameters over structured parameters (> 1 means smaller than dense). */
export function compression(shape: LayerShape, s: StructureSpec): number {
  return (shape.m * shape.n) / parameterCount(shape, s);
}

/** Short human label, e.g. "Monarch b=4 R=32". */
export function structureLabel(s: StructureSpec): string {
  switch (s.kind) {
    case 'dense':
      return 'dense';
    case 'lowrank':
      return `low-rank r=${s.rank}`;
    case 'monarch':
      return `Monarch b=${s.blocks} R=${s.rank}`;
    case 'blast':
      return `BLAST b=${s.blocks} r=${s.rank}`;
  }
}
