// Low-rank, fully fused (the paper's _triton_low_rank_kernel): one dispatch, Y = (X·V)·Uᵀ.
// A workgroup owns TOKENS_PER_WG tokens: it computes their z = X·V (r values each) into
// workgroup memory, then streams U to produce every output. The intermediate never reaches
// global memory; the price is that every workgroup reads all of V and U.
// Weights are laid out so that neighbouring threads read neighbouring words:
//   X: (T, n)   V: (n, r)   Ut: (r, m)   Y: (T, m)

const MAX_TOKENS_PER_WG = 8u;
override TOKENS_PER_WG: u32 = 4u; // at most MAX_TOKENS_PER_WG
override Z_SIZE: u32 = 1024u;     // TOKENS_PER_WG · r, within the adapter's workgroup memory

struct Params { tokens: u32, n: u32, m: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> X: array<elem>;
@group(0) @binding(1) var<storage, read> V: array<elem>;
@group(0) @binding(2) var<storage, read> Ut: array<elem>;
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
    for (var k = 0u; k < P.n; k++) { acc = fma(f32(X[(t0 + t) * P.n + k]), f32(V[k * P.rank + c]), acc); }
    zs[e] = acc;
  }
  workgroupBarrier();
  for (var o = li; o < P.m; o += 256u) {
    var acc = array<f32, MAX_TOKENS_PER_WG>();
    for (var c = 0u; c < P.rank; c++) {
      let u = f32(Ut[c * P.m + o]);
      for (var t = 0u; t < nt; t++) { acc[t] = fma(u, zs[t * P.rank + c], acc[t]); }
    }
    for (var t = 0u; t < nt; t++) { Y[(t0 + t) * P.m + o] = elem(acc[t]); }
  }
}
