// gemm-core.wgsl's tile loads where gemm-io binds A and B as vec4 (rows and K multiples of 4,
// VW = 4): one 16-byte load brings 4 consecutive k of one row, and store_tile scatters its
// lanes into the k rows of the workgroup tile.

// Loads one K tile of A and B into registers: (*ra)[j] holds k … k + 3 of one row of A;
// consecutive threads read consecutive vectors of a row (coalesced).
fn load_tile(a: Operand, b: Operand, k0: u32, k_end: u32, row0: u32, col0: u32, li: u32,
             ra: ptr<function, Staged>, rb: ptr<function, Staged>) {
  let threads = WG_X * WG_Y;
  let KV = BK / 4u;
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= WG_Y * TM * KV) { break; }
    let r = row0 + e / KV;
    let k = k0 + (e % KV) * 4u;
    var v = vecw();
    if (r < a.rows && k < k_end) { v = vecw(A[(a.base + r * a.ld + k) / 4u]); }
    (*ra)[j] = v;
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= WG_X * TN * KV) { break; }
    let c = col0 + e / KV;
    let k = k0 + (e % KV) * 4u;
    var v = vecw();
    if (c < b.rows && k < k_end) { v = vecw(B[(b.base + c * b.ld + k) / 4u]); }
    (*rb)[j] = v;
  }
}

// Stores the registers of load_tile into the workgroup tiles, one lane (k) at a time.
fn store_tile(li: u32, ra: ptr<function, Staged>, rb: ptr<function, Staged>) {
  let threads = WG_X * WG_Y;
  let KV = BK / 4u;
  let AS = WG_Y * TM / 4u + PAD;
  let BS = WG_X * TN / 4u + PAD;
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= WG_Y * TM * KV) { break; }
    let r = e / KV;
    let at = (e % KV) * 4u * AS + r / 4u;
    for (var l = 0u; l < 4u; l++) { As[at + l * AS][r % 4u] = (*ra)[j][l]; }
  }
  for (var j = 0u; j < PREFETCH; j++) {
    let e = li + j * threads;
    if (e >= WG_X * TN * KV) { break; }
    let c = e / KV;
    let at = (e % KV) * 4u * BS + c / 4u;
    for (var l = 0u; l < 4u; l++) { Bs[at + l * BS][c % 4u] = (*rb)[j][l]; }
  }
}
