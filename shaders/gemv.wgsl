// Few-row products (M ≤ 16 tokens), C[z][i][j] = Σ_k A[z][i][k] · B[z][j][k], the same strided
// batched contract and parameters as gemm.wgsl. With so few rows the weights B are nearly all
// the traffic, so the kernel is built to stream them: LANES consecutive threads walk one row of
// B along K (coalesced), each keeping TM running sums (one per token row, TM ≥ M from the
// prelude); workgroup memory then adds up the lanes. A workgroup covers COLS columns.

override LANES: u32 = 32u; // threads per column, a power of two
override COLS: u32 = 8u;   // columns per workgroup

var<workgroup> sums: array<f32, LANES * COLS * TM>;

@compute @workgroup_size(LANES, COLS, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let outer = wg.z / P.batchInner;
  let inner = wg.z % P.batchInner;
  let a_base = P.a_off + outer * P.a_outer + inner * P.a_inner;
  let b_base = P.b_off + outer * P.b_outer + inner * P.b_inner;
  let col = wg.x * COLS + lid.y;
  var acc = array<f32, TM>();
  if (col < P.N) {
    let b_row = b_base + col * P.b_ld;
    for (var k = lid.x; k < P.K; k += LANES) {
      let w = f32(B[b_row + k]);
      for (var i = 0u; i < TM; i++) {
        if (i < P.M) { acc[i] = fma(f32(A[a_base + i * P.a_ld + k]), w, acc[i]); }
      }
    }
  }
  let slot = lid.y * TM * LANES + lid.x;
  for (var i = 0u; i < TM; i++) { sums[slot + i * LANES] = acc[i]; }
  workgroupBarrier();
  for (var stride = LANES / 2u; stride > 0u; stride /= 2u) {
    if (lid.x < stride) {
      for (var i = 0u; i < TM; i++) { sums[slot + i * LANES] += sums[slot + i * LANES + stride]; }
    }
    workgroupBarrier();
  }
  // Lane i stores row i of this column.
  let i = lid.x;
  if (col < P.N && i < TM && i < P.M) {
    let c = P.c_off + outer * P.c_outer + inner * P.c_inner + i * P.c_ld + col * P.c_col;
    C[c] = OUT_ELEM(sums[lid.y * TM * LANES + i * LANES]);
  }
}
