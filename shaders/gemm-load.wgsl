// gemm-core.wgsl's tile loads for any alignment: A and B read element by element, VW of them
// (consecutive rows at one k) gathered into each staged vector.

// PREFETCH vectors of A and of B per thread: ceil(BM/VW · BK / threads) for the larger side
// (gemm-plan.ts, tileLoadsPerThread).
struct Staged { a: array<vecw, PREFETCH>, b: array<vecw, PREFETCH> }

// Loads one K tile of A and B from memory into registers; consecutive threads read
// consecutive k (coalesced), VW rows each.
fn load_tile(a: Operand, b: Operand, k0: u32, k_end: u32, row0: u32, col0: u32, li: u32,
             st: ptr<function, Staged>) {
  let threads = WG_X * WG_Y;
  let BMV = WG_Y * TM / VW;
  let BNV = WG_X * TN / VW;
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= BMV * BK) { break; }
    let kk = e % BK;
    var v = vecw();
    if (k0 + kk < k_end) {
      for (var l = 0u; l < VW; l++) {
        let r = row0 + (e / BK) * VW + l;
        if (r < a.rows) { v = with_lane(v, l, f32(A[a.base + r * a.ld + (k0 + kk) * a.ks])); }
      }
    }
    (*st).a[j] = v;
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= BNV * BK) { break; }
    let kk = e % BK;
    var v = vecw();
    if (k0 + kk < k_end) {
      for (var l = 0u; l < VW; l++) {
        let c = col0 + (e / BK) * VW + l;
        if (c < b.rows) { v = with_lane(v, l, f32(B[b.base + c * b.ld + (k0 + kk) * b.ks])); }
      }
    }
    (*st).b[j] = v;
  }
}

// Stores the registers of load_tile into tile `group` of the workgroup tiles.
fn store_tile(li: u32, group: u32, st: ptr<function, Staged>) {
  let threads = WG_X * WG_Y;
  let BMV = WG_Y * TM / VW;
  let BNV = WG_X * TN / VW;
  let a0 = group * BK * (BMV + PAD);
  let b0 = group * BK * (BNV + PAD);
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= BMV * BK) { break; }
    As[a0 + (e % BK) * (BMV + PAD) + e / BK] = (*st).a[j];
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= BNV * BK) { break; }
    Bs[b0 + (e % BK) * (BNV + PAD) + e / BK] = (*st).b[j];
  }
}
