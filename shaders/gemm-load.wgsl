// gemm-core.wgsl's tile loads for any alignment: A and B read element by element, VW of them
// (consecutive rows at one k) gathered into each staged vector.

// PREFETCH vectors of A and of B per thread: ceil(BM/VW · BK / threads) for the larger side
// (gemm-plan.ts, tileLoadsPerThread).
struct Staged { a: array<vecw, PREFETCH>, b: array<vecw, PREFETCH> }

// Vectors of A's and of B's K tile: one per VW rows and k.
fn vectors_a() -> u32 { return WG_Y * TM / VW * BK; }
fn vectors_b() -> u32 { return WG_X * TN / VW * BK; }

// One element of A or of B, as f32.
fn read_elem(on_a: bool, at: u32) -> f32 {
  if (on_a) { return f32(A[at]); }
  return f32(B[at]);
}

// Vector e of one operand's K tile: rows first + (e / BK)·VW … + VW - 1 at k0 + e % BK, zero
// past the operand's rows or K.
fn read_vec(on_a: bool, op: Operand, first: u32, e: u32, k0: u32, k_end: u32) -> vecw {
  var v = vecw();
  let k = k0 + e % BK;
  if (k < k_end) {
    for (var l = 0u; l < VW; l++) {
      let r = first + (e / BK) * VW + l;
      if (r < op.rows) { v = with_lane(v, l, read_elem(on_a, op.base + r * op.ld + k)); }
    }
  }
  return v;
}

// Loads one K tile of A and B from memory into registers; consecutive threads read
// consecutive k (coalesced), VW rows each. A's loads are all issued before B's.
fn load_tile(a: Operand, b: Operand, k0: u32, k_end: u32, row0: u32, col0: u32, li: u32,
             st: ptr<function, Staged>) {
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * WG_X * WG_Y;
    if (e >= vectors_a()) { break; }
    (*st).a[j] = read_vec(true, a, row0, e, k0, k_end);
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * WG_X * WG_Y;
    if (e >= vectors_b()) { break; }
    (*st).b[j] = read_vec(false, b, col0, e, k0, k_end);
  }
}

// Stores the registers of load_tile into the workgroup tiles, vector e at k = e % BK.
fn store_tile(li: u32, st: ptr<function, Staged>) {
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * WG_X * WG_Y;
    if (e >= vectors_a()) { break; }
    As[(e % BK) * (WG_Y * TM / VW + PAD) + e / BK] = (*st).a[j];
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * WG_X * WG_Y;
    if (e >= vectors_b()) { break; }
    Bs[(e % BK) * (WG_X * TN / VW + PAD) + e / BK] = (*st).b[j];
  }
}
