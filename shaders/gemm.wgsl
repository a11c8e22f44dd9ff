// Batched GEMM, C[z][i][j] = Σ_k A[z][i][k] · B[z][j][k]  (A·Bᵀ, as nn.Linear's X·Wᵀ).
//
// One kernel serves every product of every strategy: A and B are read K-contiguous and every
// tensor is addressed by affine strides over a two-level batch z = (outer, inner). That is how
// a block-diagonal factor, a strided view of X, Monarch's permuted stage-1 store and its
// interleaved stage-2 store become plain strides instead of copies.
// Split-K (few row tiles, long K): workgroup z also picks a K range and writes f32
// partial sums (OUT_ELEM = f32) that split-reduce.wgsl adds up.
// Needs gemm-io.wgsl (parameters and bindings) and gemm-core.wgsl (the tile loop).

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let split = wg.z % P.splits;
  let z = wg.z / P.splits;
  let outer = z / P.batchInner;
  let inner = z % P.batchInner;
  let a = Operand(P.a_off + outer * P.a_outer + inner * P.a_inner, P.a_ld, P.M);
  let b = Operand(P.b_off + outer * P.b_outer + inner * P.b_inner, P.b_ld, P.N);
  let row0 = wg.y * WG_Y * TM;
  let col0 = wg.x * WG_X * TN;
  let k_begin = split * P.kPerSplit;
  var acc = Acc();
  gemm_tiles(a, b, k_begin, min(P.K, k_begin + P.kPerSplit), row0, col0, lid, li, &acc);

  let c_base = P.c_off + outer * P.c_outer + inner * P.c_inner + split * P.c_split;
  for (var i = 0u; i < TM; i++) {
    let row = row0 + tile_offset(lid.y, i, WG_Y);
    if (row >= P.M) { continue; }
    for (var j = 0u; j < TN; j++) {
      let col = col0 + tile_offset(lid.x, j, WG_X);
      if (col < P.N) { C[c_base + row * P.c_ld + col * P.c_col] = OUT_ELEM(acc[i * TN + j]); }
    }
  }
}
