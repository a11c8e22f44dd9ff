/**
 * The dense m × n matrix a structure equals, built entry by entry from the closed forms of
 * docs/structures.md#dense-equivalent (independent of the forward passes in reference.ts, so
 * each checks the other).
 * For the structure view and tests: O(m·n·rank) work, meant for small instances.
 */
import type { Factors, LayerShape, StructureSpec } from './types';

export function denseEquivalent(shape: LayerShape, spec: StructureSpec, f: Factors): Float64Array {
  const { m, n } = shape;
  const W = new Float64Array(m * n);
  switch (f.kind) {
    case 'dense':
      W.set(f.W);
      break;
    case 'lowrank': {
      const r = f.U.length / m;
      for (let i = 0; i < m; i++)
        for (let k = 0; k < n; k++) {
          let acc = 0;
          for (let c = 0; c < r; c++) acc += f.U[i * r + c] * f.V[k * r + c];
          W[i * n + k] = acc;
        }
      break;
    }
    case 'monarch': {
      if (spec.kind !== 'monarch') throw new Error('spec/factors mismatch');
      const b = spec.blocks;
      const R = spec.rank;
      const p = n / b;
      const s = m / b;
      const pbr = R / b;
      // W[si·b + j, k·p + pi] = Σ_{q ≡ j (mod b)} W2[j, si, k·R/b + ⌊q/b⌋] · W1[k, q, pi]
      for (let j = 0; j < b; j++)
        for (let si = 0; si < s; si++)
          for (let k = 0; k < b; k++)
            for (let pi = 0; pi < p; pi++) {
              let acc = 0;
              for (let u = 0; u < pbr; u++) {
                const q = u * b + j;
                acc += f.W2[(j * s + si) * R + k * pbr + u] * f.W1[(k * R + q) * p + pi];
              }
              W[(si * b + j) * n + k * p + pi] = acc;
            }
      break;
    }
    case 'blast': {
      if (spec.kind !== 'blast') throw new Error('spec/factors mismatch');
      const b = spec.blocks;
      const r = spec.rank;
      const p = m / b;
      const q = n / b;
      // W_ij = U_i · diag(s_ij) · V_jᵀ
      for (let i = 0; i < b; i++)
        for (let j = 0; j < b; j++)
          for (let si = 0; si < p; si++)
            for (let c = 0; c < q; c++) {
              let acc = 0;
              for (let t = 0; t < r; t++) acc += f.U[(i * p + si) * r + t] * f.S[(i * b + j) * r + t] * f.V[(j * q + c) * r + t];
              W[(i * p + si) * n + j * q + c] = acc;
            }
      break;
    }
  }
  return W;
}
