/**
 * The dense m × n matrix a structure equals, built entry by entry from the closed forms of
 * docs/structures.md#dense-equivalent (each structure's `denseEquivalent`, kinds/: independent
 * of its forward pass, so each checks the other).
 * For the structure view and tests: O(m·n·rank) work, meant for small instances.
 */
import { structureOf } from './kinds';
import type { Factors, LayerShape, StructureSpec } from './types';

export function denseEquivalent(shape: LayerShape, spec: StructureSpec, f: Factors): Float64Array {
  if (spec.kind !== f.kind) throw new Error('spec/factors mismatch');
  return structureOf(spec).denseEquivalent(shape, spec, f);
}
