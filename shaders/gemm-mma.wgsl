// Batched GEMM on matrix units: the contract of gemm.wgsl (gemm-io.wgsl's Params and bindings,
// C[z][i][j] = Σ_k A[z][i][k] · B[z][j][k], strided two-level batches, split-K, grouped and
// interleaved column stores), with the products done by subgroup matrices.
//
// A workgroup of SG_M × SG_N subgroups computes a BM × BN tile of C; each subgroup owns TM × TN
// result fragments of MMA_M × MMA_N, kept in registers for the whole K loop. Every K tile of
// BK is staged in workgroup memory first (STAGES of them at a time: with two, the next is
// stored while this one is multiplied), zero-filled outside the operands, so that fragment
// loads never leave their tile and ragged edges need no masking in the products. The staged
// rows are padded (KPAD) so that the fragment loads of neighbouring rows fall in other banks.
// The results go out one fragment a subgroup at a time through workgroup memory (Cs), from
// where the subgroup's threads store them with any strides, bounds-checked.
//
// The prelude defines elem, OUT_ELEM, IN_ELEM, read4 (4 consecutive elements of A or B),
// acc_elem (the result fragments' type), the fragment shape MMA_M × MMA_N × MMA_K, TM, TN,
// SG_M, SG_N, SG_SIZE, BK and PREFETCH, and the subgroup's TM × TN result fragments (Acc, with
// acc_step, one MMA_K step of products into them, and acc_fragment, one of them by index,
// written out fragment by fragment: shaders.ts, accumulatorBlock); the fragment types and their
// load, multiply-accumulate and store functions come from mma-native.wgsl (the builtins) or
// mma-emulated.wgsl (the same operations in plain WGSL, for adapters without matrix units).
// Needs gemm-io.wgsl.

override BATCH_FIRST = false;
// Where C's rows are contiguous (c_ld = 1: BLAST perm-fused's intermediates), the threads of a
// subgroup store a fragment down its columns, so that neighbouring threads write neighbouring
// elements; elsewhere along its rows.
override C_ROWS_FIRST = false;

const THREADS: u32 = SG_M * SG_N * SG_SIZE;
const BM: u32 = SG_M * TM * MMA_M;
const BN: u32 = SG_N * TN * MMA_N;
const KPAD: u32 = 8u;
// A staged row: BK elements and the padding, in vectors of 4.
const ROW: u32 = (BK + KPAD) / 4u;
const KV: u32 = BK / 4u;

// STAGES K tiles, one after the other (rows stage · BM … of As)
var<workgroup> As: array<vec4<elem>, STAGES * BM * ROW>;
var<workgroup> Bs: array<vec4<elem>, STAGES * BN * ROW>;
var<workgroup> Cs: array<acc_elem, SG_M * SG_N * MMA_M * MMA_N>;

// One K tile of A and B as this thread loads it: vectors v = li, li + THREADS, … of the tile's
// (BM + BN) · KV, A's rows first.
alias Staged = array<vec4<elem>, PREFETCH>;

// Elements k … k + 3 of row r of an operand, zero outside it (read4, from the prelude, reads
// them as one vector where the rows are aligned, else one by one, ks apart, up to k_end).
fn load_vector(on_a: bool, op: Operand, r: u32, k: u32, k_end: u32) -> vec4<elem> {
  if (r >= op.rows || k >= k_end) { return vec4<elem>(); }
  return read4(on_a, op.base + r * op.ld + k * op.ks, k_end - k, op.ks);
}

fn load_tile(a: Operand, b: Operand, k0: u32, k_end: u32, row0: u32, col0: u32, li: u32,
             st: ptr<function, Staged>) {
  for (var j = 0u; j < PREFETCH; j++) {
    let v = li + j * THREADS;
    let k = k0 + (v % KV) * 4u;
    if (v < BM * KV) {
      (*st)[j] = load_vector(true, a, row0 + v / KV, k, k_end);
    } else if (v < (BM + BN) * KV) {
      (*st)[j] = load_vector(false, b, col0 + v / KV - BM, k, k_end);
    }
  }
}

fn store_tile(li: u32, stage: u32, st: ptr<function, Staged>) {
  for (var j = 0u; j < PREFETCH; j++) {
    let v = li + j * THREADS;
    let at = (v / KV) * ROW + v % KV;
    if (v < BM * KV) {
      As[stage * BM * ROW + at] = (*st)[j];
    } else if (v < (BM + BN) * KV) {
      Bs[stage * BN * ROW + at - BM * ROW] = (*st)[j];
    }
  }
}

// An operand: element (row, k) is at base + row · ld + k · ks, for row < rows.
struct Operand { base: u32, ld: u32, ks: u32, rows: u32 }

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) wg_id: vec3u, @builtin(local_invocation_index) li: u32) {
  let wg = select(wg_id, vec3u(wg_id.y, wg_id.z, wg_id.x), BATCH_FIRST);
  let sg = li / SG_SIZE;
  let lane = li % SG_SIZE;
  mma_begin(lane);
  let slice = slice_of(wg.z);
  let a = Operand(slice.a, P.a_ld, P.a_ks, P.M);
  let b = Operand(slice.b, P.b_ld, 1u, P.N);
  let row0 = wg.y * BM;
  let col0 = wg.x * BN;
  // This subgroup's first row of As and of Bs.
  let sg_row = (sg / SG_N) * TM * MMA_M;
  let sg_col = (sg % SG_N) * TN * MMA_N;
  let k_begin = slice.split * P.kPerSplit;
  let k_end = min(P.K, k_begin + P.kPerSplit);

  var acc: Acc;
  var staged = Staged();
  load_tile(a, b, k_begin, k_end, row0, col0, li, &staged);
  store_tile(li, 0u, &staged);
  workgroupBarrier();
  var stage = 0u;
  for (var k0 = k_begin; k0 < k_end; k0 += BK) {
    let more = k0 + BK < k_end;
    // The next tile's loads are in flight during this tile's products.
    if (more) { load_tile(a, b, k0 + BK, k_end, row0, col0, li, &staged); }
    for (var kk = 0u; kk < KV; kk += MMA_K / 4u) { acc_step(&acc, stage * BM + sg_row, stage * BN + sg_col, kk); }
    // One stage: every subgroup is done with the tile before it is overwritten. Two: the next
    // tile goes to the other stage, last read before the previous barrier.
    if (STAGES == 1u) { workgroupBarrier(); }
    let next = (stage + 1u) % STAGES;
    if (more) { store_tile(li, next, &staged); }
    workgroupBarrier();
    stage = next;
  }

  let frag0 = sg * MMA_M * MMA_N;
  for (var i = 0u; i < TM; i++) {
    for (var j = 0u; j < TN; j++) {
      store_result(frag0, MMA_N, acc_fragment(&acc, i * TN + j));
      workgroupBarrier();
      for (var e = lane; e < MMA_M * MMA_N; e += SG_SIZE) {
        let r = select(e / MMA_N, e % MMA_M, C_ROWS_FIRST);
        let c = select(e % MMA_N, e / MMA_M, C_ROWS_FIRST);
        let row = row0 + sg_row + i * MMA_M + r;
        let col = col0 + sg_col + j * MMA_N + c;
        if (row < P.M && col < P.N) {
          C[slice.c + c_col_offset(col) + row * P.c_ld] = OUT_ELEM(Cs[frag0 + r * MMA_N + c]);
        }
      }
      workgroupBarrier();
    }
  }
}
