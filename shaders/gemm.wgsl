// Batched GEMM, C[z][i][j] = Σ_k A[z][i][k] · B[z][j][k]  (A·Bᵀ, as nn.Linear's X·Wᵀ).
//
// One kernel serves every product of every strategy: A and B are read K-contiguous and every
// tensor is addressed by strides over a two-level batch z = (outer, inner). That is how
// a block-diagonal factor, a strided view of X, Monarch's permuted stage-1 store and its
// interleaved stage-2 store become plain strides instead of copies (the stage-1 store with
// its columns in groups, c_col_offset in gemm-io.wgsl).
// Split-K (few row tiles, long K): workgroup z also picks a K range and writes f32
// partial sums (OUT_ELEM = f32) that split-reduce.wgsl adds up.
// Needs gemm-io.wgsl (parameters and bindings), gemm-core.wgsl (the tile loop) and one of its
// load modules, gemm-load.wgsl or gemm-load-wide.wgsl (shaders.ts picks it).

// Where the batches' columns interleave in C (Monarch's stage-2 store), the plan launches the
// batch as workgroup x (BATCH_FIRST). WebGPU promises no launch order, but GPUs start
// workgroups in x order first, so the batches of one output tile run together and their
// stores fill each 32-byte sector while it is in L2, rather than one batch at a time, each
// leaving a sector an eighth written (a sixteenth in f16)
// (docs/decisions.md#monarch-stage2-batch-first).
override BATCH_FIRST = false;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wg_id: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  // x: column tile, y: row tile, z: batch and split
  let wg = select(wg_id, vec3u(wg_id.y, wg_id.z, wg_id.x), BATCH_FIRST);
  let slice = slice_of(wg.z);
  let a = Operand(slice.a, P.a_ld, P.a_ks, P.M);
  let b = Operand(slice.b, P.b_ld, 1u, P.N);
  let row0 = wg.y * WG_Y * TM;
  let col0 = wg.x * WG_X * TN;
  let k_begin = slice.split * P.kPerSplit;
  var acc = Acc();
  gemm_tiles(a, b, k_begin, min(P.K, k_begin + P.kPerSplit), row0, col0, lid, li, 0u, &acc);

  for (var j = 0u; j < TN; j++) {
    let col = col0 + tile_offset(lid.x, j, WG_X);
    if (col >= P.N) { continue; }
    let c = slice.c + c_col_offset(col);
    for (var i = 0u; i < TM; i++) {
      let row = row0 + tile_offset(lid.y, i, WG_Y);
      if (row < P.M) { C[c + row * P.c_ld] = OUT_ELEM(acc[i * TN + j]); }
    }
  }
}
