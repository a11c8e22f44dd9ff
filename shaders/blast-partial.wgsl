// BLAST partial fusion, kernel 1 (the paper's _triton_blast_partial_grouped_kernel):
//   Z[i][t][c] = Σ_j S[i][j][c] · (X_j · V_j)[t][c]      for all output blocks i at once
// A workgroup owns a tile of tokens × rank. For each input block j it computes the tile of
// Y_j = X_j·V_j with the shared GEMM loop, then scales it into all b accumulators; Y never
// leaves the chip. The b · TM · TN accumulators of a thread live in registers: the prelude
// makes BLOCKS a constant (shaders.ts) so the loops over output blocks i unroll (the loop over
// input blocks j has run-time bounds).
// Few tokens leave few tiles, so the input blocks j can be split over workgroups: workgroup z
// takes blocks z·SPLIT_BLOCKS … and writes its f32 partial sums of Z to slice z, which
// split-reduce.wgsl adds up (OUT_ELEM = f32); unsplit, SPLIT_BLOCKS = BLOCKS and Z is elem.
// Needs gemm-core.wgsl and gemm-load.wgsl (it binds its own inputs, so never the 16-byte loads).
//   X: (T, n) viewed (T, b, n/b); A is X.  Vt: (b, r, n/b), B is Vt.  S: (b, b, r).
//   Z: (splits, b, T, r).

struct Params { tokens: u32, n: u32, rank: u32 }

override SPLIT_BLOCKS: u32; // input blocks per workgroup z (plans.ts, blastPartialSplitBlocks)

@group(0) @binding(0) var<storage, read> A: array<elem>;
@group(0) @binding(1) var<storage, read> B: array<elem>;
@group(0) @binding(2) var<storage, read> S: array<elem>;
@group(0) @binding(3) var<storage, read_write> Z: array<OUT_ELEM>;
@group(0) @binding(4) var<uniform> P: Params;

@compute @workgroup_size(WG_X, WG_Y, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let q = P.n / BLOCKS;
  let row0 = wg.y * WG_Y * TM;
  let col0 = wg.x * WG_X * TN;
  var zacc = array<f32, BLOCKS * TM * TN>();
  let j0 = wg.z * SPLIT_BLOCKS;
  for (var j = j0; j < min(j0 + SPLIT_BLOCKS, BLOCKS); j++) {
    // Explicitly zeroed: a declaration without initializer inside a loop is not reliably
    // re-zeroed on every iteration by all compilers (SwiftShader keeps the old value).
    var y = Acc();
    gemm_tiles(Operand(j * q, P.n, P.tokens), Operand(j * P.rank * q, q, P.rank), 0u, q, row0, col0, lid, li, &y);
    for (var jj = 0u; jj < TN; jj++) {
      let c = min(col0 + tile_offset(lid.x, jj, WG_X), P.rank - 1u);
      for (var i = 0u; i < BLOCKS; i++) {
        let s = f32(S[(i * BLOCKS + j) * P.rank + c]);
        for (var ii = 0u; ii < TM; ii++) {
          let z = (i * TM + ii) * TN + jj;
          zacc[z] = fma(s, y[ii * TN + jj], zacc[z]);
        }
      }
    }
  }
  for (var i = 0u; i < BLOCKS; i++) {
    for (var ii = 0u; ii < TM; ii++) {
      let row = row0 + tile_offset(lid.y, ii, WG_Y);
      if (row >= P.tokens) { continue; }
      for (var jj = 0u; jj < TN; jj++) {
        let col = col0 + tile_offset(lid.x, jj, WG_X);
        if (col < P.rank) { Z[((wg.z * BLOCKS + i) * P.tokens + row) * P.rank + col] = OUT_ELEM(zacc[(i * TM + ii) * TN + jj]); }
      }
    }
  }
}
