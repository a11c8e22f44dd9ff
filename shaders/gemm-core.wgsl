// The register-blocked tile loop shared by every GEMM-shaped kernel (gemm.wgsl,
// blast-partial.wgsl). The including kernel declares the storage bindings `A` and `B`
// (element type `elem`); the prelude (specialise.ts) defines `elem` and the register block
// TM × TN. Each thread owns TM × TN outputs, strided by the workgroup's width so that
// neighbouring threads read neighbouring words of workgroup memory and store neighbouring
// outputs.

override WG_X: u32 = 16u; // threads along N
override WG_Y: u32 = 16u; // threads along M
override BK: u32 = 16u;   // depth of the K tile held in workgroup memory

var<workgroup> As: array<f32, BK * WG_Y * TM>;
var<workgroup> Bs: array<f32, BK * WG_X * TN>;

alias Acc = array<f32, TM * TN>;

// A K-contiguous operand: element (row, k) is at base + row · ld + k, for row < rows.
struct Operand { base: u32, ld: u32, rows: u32 }

// acc[i][j] += Σ_{k in [k_begin, k_end)} A(row0 + lid.y + i·WG_Y, k) · B(col0 + lid.x + j·WG_X, k)
fn gemm_tiles(a: Operand, b: Operand, k_begin: u32, k_end: u32, row0: u32, col0: u32,
              lid: vec3u, li: u32, acc: ptr<function, Acc>) {
  let BM = WG_Y * TM;
  let BN = WG_X * TN;
  let threads = WG_X * WG_Y;
  for (var k0 = k_begin; k0 < k_end; k0 += BK) {
    // Cooperative loads; consecutive threads read consecutive k (coalesced).
    for (var e = li; e < BM * BK; e += threads) {
      let r = e / BK;
      let kk = e % BK;
      var v = 0.0;
      if (row0 + r < a.rows && k0 + kk < k_end) { v = f32(A[a.base + (row0 + r) * a.ld + k0 + kk]); }
      As[kk * BM + r] = v;
    }
    for (var e = li; e < BN * BK; e += threads) {
      let c = e / BK;
      let kk = e % BK;
      var v = 0.0;
      if (col0 + c < b.rows && k0 + kk < k_end) { v = f32(B[b.base + (col0 + c) * b.ld + k0 + kk]); }
      Bs[kk * BN + c] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      var av: array<f32, TM>;
      var bv: array<f32, TN>;
      for (var i = 0u; i < TM; i++) { av[i] = As[kk * BM + lid.y + i * WG_Y]; }
      for (var j = 0u; j < TN; j++) { bv[j] = Bs[kk * BN + lid.x + j * WG_X]; }
      for (var i = 0u; i < TM; i++) {
        for (var j = 0u; j < TN; j++) { (*acc)[i * TN + j] = fma(av[i], bv[j], (*acc)[i * TN + j]); }
      }
    }
    workgroupBarrier();
  }
}
