// The contract shared by gemm.wgsl, gemm-mma.wgsl and gemv.wgsl: C[z][i][j] = Σ_k A[z][i][k] ·
// B[z][j][k], B read K-contiguous, A with any stride along K (a_ks: 1 for K-contiguous rows, or
// the row length where A is stored K-major, as BLAST perm-fused's intermediates are), every
// tensor addressed by affine strides over a two-level batch z = (outer, inner); gemm.wgsl and
// gemm-mma.wgsl can also store C's columns in groups (c_col_offset). The plan (gemm-plan.ts)
// fills Params the same way for all three kernels, by the names of kernel-io.ts.

struct Params {
  M: u32, N: u32, K: u32,
  batchInner: u32,      // z = outer · batchInner + inner
  kPerSplit: u32,       // K range of one split (K itself when unsplit)
  splits: u32,
  a_off: u32, a_ld: u32,
  a_ks: u32,            // A's element (row, k) is at a_ld · row + a_ks · k (B's at b_ld · row + k)
  a_outer: u32, a_inner: u32,
  b_off: u32, b_ld: u32, b_outer: u32, b_inner: u32,
  c_off: u32, c_ld: u32, c_col: u32, c_outer: u32, c_inner: u32,
  c_split: u32,         // distance between the partial results of two splits
  c_group: u32,         // columns of C in groups of c_group (N: one group) …
  c_group_stride: u32,  // … each this far apart (Monarch's stage-1 store)
}

// IN_ELEM is vec4<elem> where the plan reads A and B as vectors (their rows aligned: gemv, and
// gemm with gemm-load-wide.wgsl), else elem.
@group(0) @binding(0) var<storage, read> A: array<IN_ELEM>;
@group(0) @binding(1) var<storage, read> B: array<IN_ELEM>;
@group(0) @binding(2) var<storage, read_write> C: array<OUT_ELEM>;
@group(0) @binding(3) var<uniform> P: Params;

// Where column `col` of C lies from the start of its row: col · c_col within its group of
// c_group columns, the groups c_group_stride apart. Evaluated once per column of a tile; the
// plan sets C_GROUPED only where C has groups, so other products divide nothing.
override C_GROUPED = false;

fn c_col_offset(col: u32) -> u32 {
  if (C_GROUPED) { return (col / P.c_group) * P.c_group_stride + (col % P.c_group) * P.c_col; }
  return col * P.c_col;
}

// What workgroup z of a dispatch works on: its split of K, and where its batch's A, B and C
// start (C including the split's partial-result offset).
struct Slice { split: u32, a: u32, b: u32, c: u32 }

fn slice_of(wg_z: u32) -> Slice {
  let split = wg_z % P.splits;
  let z = wg_z / P.splits;
  let outer = z / P.batchInner;
  let inner = z % P.batchInner;
  return Slice(
    split,
    P.a_off + outer * P.a_outer + inner * P.a_inner,
    P.b_off + outer * P.b_outer + inner * P.b_inner,
    P.c_off + outer * P.c_outer + inner * P.c_inner + split * P.c_split,
  );
}
