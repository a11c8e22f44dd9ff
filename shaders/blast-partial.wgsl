// BLAST partial fusion, kernel 1 (the paper's _triton_blast_partial_grouped_kernel):
//   Z[i][t][c] = Σ_j S[i][j][c] · (X_j · V_j)[t][c]      for all output blocks i at once
// A workgroup owns a tile of tokens × rank. For each input block j it computes the tile of
// Y_j = X_j·V_j with the shared GEMM loop, then scales it into all b output blocks' accumulators;
// Y never leaves the chip. The accumulators live in registers, b per element of the tile in
// all, so the tile is small. The prelude makes BLOCKS and GROUPS constants (shaders.ts) so the
// loops over output blocks unroll (the loop over input blocks has run-time bounds).
// GROUPS > 1 (the grouped tile): the workgroup's threads form GROUPS layers (lid.z), each a
// GEMM tile of its own with a register block of 4 × 4. Layer g computes Y for input block
// js + g of each step of GROUPS blocks and keeps the accumulators of output blocks
// g·OWN … g·OWN + OWN - 1 for its elements of the tile; the layers pass their Y tiles to each
// other through the workgroup tile of A (free between K loops), one layer at a time. So a
// thread holds OWN · TM · TN accumulators instead of b · TM · TN, and the GEMM loop gets a
// register block large enough for 16-byte workgroup-memory reads (a block of 2 × 2 for all b
// blocks read 4 bytes per FMA).
// Few tokens leave few tiles, so the input blocks j can be split over workgroups: workgroup z
// takes blocks z·SPLIT_BLOCKS … and writes its f32 partial sums of Z to slice z, which
// split-reduce.wgsl adds up (OUT_ELEM = f32); unsplit, SPLIT_BLOCKS ≥ BLOCKS and Z is elem.
// Needs gemm-core.wgsl and a load module: gemm-load.wgsl, or gemm-load-wide.wgsl where the plan
// binds A and B as vec4 (IN_ELEM; n/b a multiple of 4, on the grouped tile).
//   X: (T, n) viewed (T, b, n/b); A is X.  Vt: (b, r, n/b), B is Vt.  S: (b, b, r).
//   Z: (splits, b, T, r).

struct Params { tokens: u32, n: u32, rank: u32 }

override SPLIT_BLOCKS: u32; // input blocks per workgroup z, a multiple of GROUPS (src/lib/structures/kinds/blast.ts, blastPartialSplitBlocks)

const OWN = (BLOCKS + GROUPS - 1u) / GROUPS; // output blocks whose accumulators a thread keeps

@group(0) @binding(0) var<storage, read> A: array<IN_ELEM>;
@group(0) @binding(1) var<storage, read> B: array<IN_ELEM>;
@group(0) @binding(2) var<storage, read> S: array<elem>;
@group(0) @binding(3) var<storage, read_write> Z: array<OUT_ELEM>;
@group(0) @binding(4) var<uniform> P: Params;

// zacc[o][·] += S[g·OWN + o][j][c] · y for this thread's elements of the tile.
fn couple(j: u32, g: u32, col0: u32, lid: vec3u, y: ptr<function, Acc>, zacc: ptr<function, array<f32, OWN * TM * TN>>) {
  for (var jj = 0u; jj < TN; jj++) {
    let c = min(col0 + tile_offset(lid.x, jj, WG_X), P.rank - 1u);
    for (var o = 0u; o < OWN; o++) {
      let i = min(g * OWN + o, BLOCKS - 1u);
      let s = select(0.0, f32(S[(i * BLOCKS + j) * P.rank + c]), g * OWN + o < BLOCKS);
      for (var ii = 0u; ii < TM; ii++) {
        let z = (o * TM + ii) * TN + jj;
        (*zacc)[z] = fma(s, (*y)[ii * TN + jj], (*zacc)[z]);
      }
    }
  }
}

@compute @workgroup_size(WG_X, WG_Y, GROUPS)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let q = P.n / BLOCKS;
  let row0 = wg.y * WG_Y * TM;
  let col0 = wg.x * WG_X * TN;
  let g = lid.z;
  let li = lid.x + lid.y * WG_X; // index among the layer's threads
  var zacc = array<f32, OWN * TM * TN>();
  let j0 = wg.z * SPLIT_BLOCKS;
  let j_end = min(j0 + SPLIT_BLOCKS, BLOCKS);
  for (var js = j0; js < j_end; js += GROUPS) {
    // The last step's layers past BLOCKS compute block BLOCKS - 1 again and pass nothing on.
    let j = min(js + g, BLOCKS - 1u);
    // Explicitly zeroed: a declaration without initializer inside a loop is not reliably
    // re-zeroed on every iteration by all compilers (SwiftShader keeps the old value).
    var y = Acc();
    gemm_tiles(Operand(j * q, P.n, 1u, P.tokens), Operand(j * P.rank * q, q, 1u, P.rank), 0u, q, row0, col0, lid, li, g, &y);
    if (GROUPS == 1u) {
      couple(j, g, col0, lid, &y, &zacc);
      continue;
    }
    for (var src = 0u; src < GROUPS; src++) {
      if (js + src >= j_end) { break; }
      // Layer src's Y tile, vector e of thread li at As[e · threads + li] (neighbouring threads,
      // neighbouring vectors): TM · TN / VW · threads vectors, within As (src/lib/structures/kinds/blast.ts checks it).
      if (g == src) {
        for (var e = 0u; e < TM * TN / VW; e++) {
          var v = vecw();
          for (var l = 0u; l < VW; l++) { v = with_lane(v, l, y[e * VW + l]); }
          As[e * WG_X * WG_Y + li] = v;
        }
      }
      workgroupBarrier();
      var ys = Acc();
      for (var e = 0u; e < TM * TN / VW; e++) {
        let v = As[e * WG_X * WG_Y + li];
        for (var l = 0u; l < VW; l++) { ys[e * VW + l] = lane(v, l); }
      }
      workgroupBarrier();
      couple(js + src, g, col0, lid, &ys, &zacc);
    }
  }
  for (var o = 0u; o < OWN; o++) {
    let i = g * OWN + o;
    if (i >= BLOCKS) { break; }
    for (var ii = 0u; ii < TM; ii++) {
      let row = row0 + tile_offset(lid.y, ii, WG_Y);
      if (row >= P.tokens) { continue; }
      for (var jj = 0u; jj < TN; jj++) {
        let col = col0 + tile_offset(lid.x, jj, WG_X);
        if (col < P.rank) { Z[((wg.z * BLOCKS + i) * P.tokens + row) * P.rank + col] = OUT_ELEM(zacc[(o * TM + ii) * TN + jj]); }
      }
    }
  }
}
