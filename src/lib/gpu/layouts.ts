/**
 * Weight layouts the kernels read, made once from the reference factors (the paper also
 * pre-lays out its weights once, in layer.py, before timing).
 */

/** Transposes each of `batches` row-major (rows × cols) matrices to (cols × rows). */
export function transposeBatched(src: Float64Array, batches: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(src.length);
  for (let z = 0; z < batches; z++) {
    const o = z * rows * cols;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[o + c * rows + r] = src[o + r * cols + c];
  }
  return out;
}

/**
 * Monarch W1 (b, R, n/b) with each block's rows regrouped so that rows [j·R/b, (j+1)·R/b) are
 * exactly the stage-1 outputs that stage-2 block j consumes: row j·R/b + u ← row u·b + j.
 * Stage 1 can then store each contiguous run of columns straight into block j's input
 * (the paper's memory-layout optimisation of w1 in layer.py).
 */
export function monarchW1Regrouped(W1: Float64Array, blocks: number, rank: number, p: number): Float64Array {
  const out = new Float64Array(W1.length);
  const pbr = rank / blocks;
  for (let k = 0; k < blocks; k++)
    for (let j = 0; j < blocks; j++)
      for (let u = 0; u < pbr; u++) {
        const from = (k * rank + u * blocks + j) * p;
        out.set(W1.subarray(from, from + p), (k * rank + j * pbr + u) * p);
      }
  return out;
}
