/**
 * f64 CPU references, Y (T × m) = X (T × n) · Wᵀ, computed the way the paper's PyTorch
 * baselines compute them (torch_monarch_baseline = fly's blockdiag_butterfly_multiply,
 * torch_blast_baseline), element for element in the same output layout.
 */
import type { Factors, LayerShape, StructureSpec } from './types';

/**
 * `rows` restricts the work to some token rows (the others stay 0): every output row depends
 * only on its own input row, so a large problem can be checked on a sample of rows.
 */
export function referenceForward(shape: LayerShape, spec: StructureSpec, f: Factors, X: Float64Array, rows?: number[]): Float64Array {
  if (spec.kind !== f.kind) throw new Error(`factors are ${f.kind}, structure is ${spec.kind}`);
  const blocks = spec.kind === 'monarch' || spec.kind === 'blast' ? spec.blocks : 1;
  const { m, n, tokens: T } = shape;
  const Y = new Float64Array(T * m);
  const todo = rows ?? Array.from({ length: T }, (_, t) => t);
  for (const t of todo) {
    const x = X.subarray(t * n, (t + 1) * n);
    const y = Y.subarray(t * m, (t + 1) * m);
    switch (f.kind) {
      case 'dense':
        denseRow(f.W, m, n, x, y);
        break;
      case 'lowrank':
        lowrankRow(f.U, f.V, m, n, f.U.length / m, x, y);
        break;
      case 'monarch':
        monarchRow(f.W1, f.W2, m, n, f.W1.length / n, blocks, x, y);
        break;
      case 'blast':
        blastRow(f.U, f.V, f.S, m, n, f.U.length / m, blocks, x, y);
        break;
    }
  }
  return Y;
}

function denseRow(W: Float64Array, m: number, n: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < m; i++) {
    let acc = 0;
    const o = i * n;
    for (let k = 0; k < n; k++) acc += W[o + k] * x[k];
    y[i] = acc;
  }
}

/** W = U·Vᵀ: z = Vᵀx (r), y = U z. */
function lowrankRow(U: Float64Array, V: Float64Array, m: number, n: number, r: number, x: Float64Array, y: Float64Array): void {
  const z = new Float64Array(r);
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    for (let c = 0; c < r; c++) z[c] += xk * V[k * r + c];
  }
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let c = 0; c < r; c++) acc += U[i * r + c] * z[c];
    y[i] = acc;
  }
}

/**
 * Monarch (docs/structures.md#structures): stage 1 per input block k, Z[k][q] = W1[k][q][:] · x_k (R values);
 * the permutation gives stage-2 block j the values Z[k][u·b + j] at position k·R/b + u;
 * stage 2 per block j, O[j][s] = W2[j][s][:] · z_j; output interleaved, y[s·b + j] = O[j][s].
 */
function monarchRow(W1: Float64Array, W2: Float64Array, m: number, n: number, R: number, b: number, x: Float64Array, y: Float64Array): void {
  const p = n / b;
  const s = m / b;
  const pbr = R / b;
  const Z = new Float64Array(b * R);
  for (let k = 0; k < b; k++) {
    for (let q = 0; q < R; q++) {
      let acc = 0;
      const w = (k * R + q) * p;
      for (let i = 0; i < p; i++) acc += W1[w + i] * x[k * p + i];
      Z[k * R + q] = acc;
    }
  }
  const zj = new Float64Array(R);
  for (let j = 0; j < b; j++) {
    for (let k = 0; k < b; k++) for (let u = 0; u < pbr; u++) zj[k * pbr + u] = Z[k * R + u * b + j];
    for (let si = 0; si < s; si++) {
      let acc = 0;
      const w = (j * s + si) * R;
      for (let c = 0; c < R; c++) acc += W2[w + c] * zj[c];
      y[si * b + j] = acc;
    }
  }
}

/**
 * BLAST (docs/structures.md#structures): Y_j = x_j · V_j (r), Z_i = Σ_j S[i][j] ⊙ Y_j, out_i = U_i · Z_i,
 * output blocks contiguous.
 */
function blastRow(U: Float64Array, V: Float64Array, S: Float64Array, m: number, n: number, r: number, b: number, x: Float64Array, y: Float64Array): void {
  const q = n / b;
  const p = m / b;
  const Yb = new Float64Array(b * r);
  for (let j = 0; j < b; j++) {
    for (let k = 0; k < q; k++) {
      const xk = x[j * q + k];
      const v = (j * q + k) * r;
      for (let c = 0; c < r; c++) Yb[j * r + c] += xk * V[v + c];
    }
  }
  const z = new Float64Array(r);
  for (let i = 0; i < b; i++) {
    z.fill(0);
    for (let j = 0; j < b; j++) for (let c = 0; c < r; c++) z[c] += S[(i * b + j) * r + c] * Yb[j * r + c];
    for (let si = 0; si < p; si++) {
      let acc = 0;
      const u = (i * p + si) * r;
      for (let c = 0; c < r; c++) acc += U[u + c] * z[c];
      y[i * p + si] = acc;
    }
  }
}
