// Low-rank, fully fused (the paper's _triton_low_rank_kernel): one dispatch, Y = (X·V)·Uᵀ.
// A workgroup owns TOKENS_PER_WG tokens: it computes their z = X·V (r values each) into
// workgroup memory, then streams U to produce every output. The intermediate never reaches
// global memory; the price is that every workgroup reads all of V and U.
//   X: (T, n)   Vt: (r, n)   U: (m, r)   Y: (T, m)

override TOKENS_PER_WG: u32 = 4u;
override Z_SIZE: u32 = 1024u; // TOKENS_PER_WG · r, at most the adapter's workgroup memory

struct Params { tokens: u32, n: u32, m: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> X: array<elem>;
@group(0) @binding(1) var<storage, read> Vt: array<elem>;
@group(0) @binding(2) var<storage, read> U: array<elem>;
@group(0) @binding(3) var<storage, read_write> Y: array<elem>;
@group(0) @binding(4) var<uniform> P: Params;

var<workgroup> zs: array<f32, Z_SIZE>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let t0 = wg.x * TOKENS_PER_WG;
  let nt = min(TOKENS_PER_WG, P.tokens - t0);
  for (var e = li; e < nt * P.rank; e += 256u) {
    let t = e / P.rank;
    let c = e % P.rank;
    var acc = 0.0;
    for (var k = 0u; k < P.n; k++) { acc = fma(f32(X[(t0 + t) * P.n + k]), f32(Vt[c * P.n + k]), acc); }
    zs[e] = acc;
  }
  workgroupBarrier();
  for (var o = li; o < P.m; o += 256u) {
    for (var t = 0u; t < nt; t++) {
      var acc = 0.0;
      for (var c = 0u; c < P.rank; c++) { acc = fma(f32(U[o * P.rank + c]), zs[t * P.rank + c], acc); }
      Y[(t0 + t) * P.m + o] = elem(acc);
    }
  }
}
