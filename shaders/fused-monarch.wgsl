// Monarch, fully fused: one dispatch per layer. A workgroup owns TOKENS_PER_WG tokens. Phase 1
// computes the b·R stage-1 values of each token straight into workgroup memory in the order
// stage 2 reads them (block j's inputs contiguous: slot j·R + k·R/b + u holds W1[k] row u·b + j
// applied to x_k), so the Monarch permutation costs nothing; phase 2 computes every output with
// the interleaved store y[s·b + j]. Only fits when TOKENS_PER_WG · b · R floats fit on chip.
//   X: (T, n)   W1: (b, R, n/b)   W2: (b, m/b, R)   Y: (T, m)

override BLOCKS: u32 = 4u;
override TOKENS_PER_WG: u32 = 1u;
override Z_SIZE: u32 = 1024u; // TOKENS_PER_WG · b · R

struct Params { tokens: u32, n: u32, m: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> X: array<elem>;
@group(0) @binding(1) var<storage, read> W1: array<elem>;
@group(0) @binding(2) var<storage, read> W2: array<elem>;
@group(0) @binding(3) var<storage, read_write> Y: array<elem>;
@group(0) @binding(4) var<uniform> P: Params;

var<workgroup> zs: array<f32, Z_SIZE>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let t0 = wg.x * TOKENS_PER_WG;
  let nt = min(TOKENS_PER_WG, P.tokens - t0);
  let p = P.n / BLOCKS;
  let s = P.m / BLOCKS;
  let pbr = P.rank / BLOCKS;
  let per_token = BLOCKS * P.rank;
  for (var e = li; e < nt * per_token; e += 256u) {
    let t = e / per_token;
    let slot = e % per_token;
    let j = slot / P.rank;
    let k = (slot % P.rank) / pbr;
    let u = slot % pbr;
    let w = (k * P.rank + u * BLOCKS + j) * p;
    var acc = 0.0;
    for (var i = 0u; i < p; i++) { acc = fma(f32(X[(t0 + t) * P.n + k * p + i]), f32(W1[w + i]), acc); }
    zs[e] = acc;
  }
  workgroupBarrier();
  for (var o = li; o < P.m; o += 256u) {
    let si = o / BLOCKS;
    let j = o % BLOCKS;
    let w = (j * s + si) * P.rank;
    for (var t = 0u; t < nt; t++) {
      var acc = 0.0;
      for (var c = 0u; c < P.rank; c++) { acc = fma(f32(W2[w + c]), zs[t * per_token + j * P.rank + c], acc); }
      Y[(t0 + t) * P.m + o] = elem(acc);
    }
  }
}
