/** Sizes, parameters and FLOPs of a structure, from its module (kinds/). */
import { structureOf } from './kinds';
import type { LayerShape, StructureSpec } from './types';

/** Element counts of each factor tensor, in the reference layout of `Factors`. */
export function factorSizes(shape: LayerShape, s: StructureSpec): Record<string, number> {
  return structureOf(s).factorSizes(shape, s);
}

/** Parameter count of the structured weight (the table of docs/structures.md#structures). */
export function parameterCount(shape: LayerShape, s: StructureSpec): number {
  return Object.values(factorSizes(shape, s)).reduce((a, b) => a + b, 0);
}

/** FLOPs of one forward pass over all tokens (multiply and add counted separately). */
export function forwardFlops(shape: LayerShape, s: StructureSpec): number {
  return structureOf(s).flops(shape, s);
}

/** Dense parameters over structured parameters (> 1 means smaller than dense). */
export function compression(shape: LayerShape, s: StructureSpec): number {
  return (shape.m * shape.n) / parameterCount(shape, s);
}

/** Short human label, e.g. "Monarch b=4 R=32". */
export function structureLabel(s: StructureSpec): string {
  return structureOf(s).label(s);
}
