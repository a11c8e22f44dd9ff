// Few-row products (M ≤ 16 tokens), C[z][i][j] = Σ_k A[z][i][k] · B[z][j][k], the same strided
// batched contract and parameters as gemm.wgsl. With so few rows the weights B are nearly all
// the traffic, so the kernel is built to stream them: LANES consecutive threads walk one row of
// B along K and every row of B is read once. Both operands are read as VW-wide vectors
// (VW = 4 when the plan found every row of A and B, and K, multiples of four elements: 16-byte
// loads, four times the bytes in flight per load).
// The token rows A are staged in workgroup memory, UNROLL vectors per lane at a time, so the
// COLS columns of a workgroup share one read of them; the weight loads of a stage are issued
// before its staging barrier. Each thread keeps TM running sums (TM ≥ M) and stages PREFETCH
// vectors of A per stage (TM · UNROLL / COLS, rounded up); the prelude fixes all three and the
// plan (gemm-plan.ts, gemvShape) the launch shape. Workgroup memory then adds up the lanes.
// Split-K (few columns, long K): workgroup z also picks a K range and writes f32 partial sums
// (OUT_ELEM = f32) that split-reduce.wgsl adds up.

override LANES: u32; // threads per weight row, a power of two (1: a thread walks the whole row)
override COLS: u32;  // weight rows (output columns) per workgroup

var<workgroup> xs: array<vecw, TM * LANES * UNROLL>;
var<workgroup> sums: array<f32, LANES * COLS * TM>;

@compute @workgroup_size(LANES, COLS, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let slice = slice_of(wg.z);
  let col = wg.x * COLS + lid.y;
  // A column past N streams a valid row and never stores: every thread reaches every barrier.
  let b_row = (slice.b + min(col, P.N - 1u) * P.b_ld) / VW;
  // This split's range of K, in vectors (kPerSplit is a multiple of VW).
  let kv_begin = slice.split * P.kPerSplit / VW;
  let kv_end = (min(P.K, (slice.split + 1u) * P.kPerSplit) + VW - 1u) / VW;
  let stage = LANES * UNROLL;
  var acc = array<f32, TM>();
  for (var kv0 = kv_begin; kv0 < kv_end; kv0 += stage) {
    var w = array<vecw, UNROLL>();
    for (var u = 0u; u < UNROLL; u++) {
      let kv = kv0 + u * LANES + lid.x;
      if (kv < kv_end) { w[u] = vecw(B[b_row + kv]); }
    }
    // xs[i][v] = A(i, (kv0 + v) · VW … + VW), zero past K and past M. Every load is issued
    // before the first store, so that their latencies (L2 hits) overlap.
    var x = array<vecw, PREFETCH>();
    for (var j = 0u; j < PREFETCH; j++) {
      let e = li + j * LANES * COLS;
      let i = e / stage;
      let kv = kv0 + e % stage;
      if (i < P.M && kv < kv_end) { x[j] = vecw(A[(slice.a + i * P.a_ld) / VW + kv * P.a_ks]); }
    }
    for (var j = 0u; j < PREFETCH; j++) {
      let e = li + j * LANES * COLS;
      if (e < TM * stage) { xs[e] = x[j]; }
    }
    workgroupBarrier();
    for (var u = 0u; u < UNROLL; u++) {
      let v = u * LANES + lid.x;
      for (var i = 0u; i < TM; i++) { acc[i] = mac(xs[i * stage + v], w[u], acc[i]); }
    }
    workgroupBarrier();
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
  // Lane l stores rows l, l + LANES, … of this column.
  if (col < P.N) {
    for (var i = lid.x; i < min(TM, P.M); i += LANES) {
      C[slice.c + i * P.c_ld + col * P.c_col] = OUT_ELEM(sums[lid.y * TM * LANES + i * LANES]);
    }
  }
}
