/**
 * f64 CPU references, Y (T × m) = X (T × n) · Wᵀ, computed the way the paper's PyTorch
 * baselines compute them (torch_monarch_baseline = fly's blockdiag_butterfly_multiply,
 * torch_blast_baseline), element for element in the same output layout: each structure's
 * `forwardRow` (kinds/).
 */
import { structureOf } from './kinds';
import type { Factors, LayerShape, StructureSpec } from './types';

/**
 * `rows` restricts the work to some token rows (the others stay 0): every output row depends
 * only on its own input row, so a large problem can be checked on a sample of rows.
 */
export function referenceForward(shape: LayerShape, spec: StructureSpec, f: Factors, X: Float64Array, rows?: number[]): Float64Array {
  if (spec.kind !== f.kind) throw new Error(`factors are ${f.kind}, structure is ${spec.kind}`);
  const { m, n, tokens: T } = shape;
  const module = structureOf(spec);
  const Y = new Float64Array(T * m);
  const todo = rows ?? Array.from({ length: T }, (_, t) => t);
  for (const t of todo) module.forwardRow(shape, spec, f, X.subarray(t * n, (t + 1) * n), Y.subarray(t * m, (t + 1) * m));
  return Y;
}
