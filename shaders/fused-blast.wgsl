// BLAST, fully fused: one dispatch per layer (the paper's _triton_blast_full_kernel, which it
// could not build in Triton). A workgroup owns TOKENS_PER_WG tokens: phase 1 computes
// Y_j = x_j·V_j for every block j into workgroup memory, phase 2 couples them,
// Z_i = Σ_j S_ij ⊙ Y_j (a second on-chip array), phase 3 computes out_i = U_i·Z_i with output
// blocks contiguous. Fits only when 2 · TOKENS_PER_WG · b · r floats fit on chip.
//   X: (T, n)   Vt: (b, r, n/b)   S: (b, b, r)   U: (b, m/b, r)   Y: (T, m)

override BLOCKS: u32 = 4u;
override TOKENS_PER_WG: u32 = 1u;
override Z_SIZE: u32 = 1024u; // TOKENS_PER_WG · b · r

struct Params { tokens: u32, n: u32, m: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> X: array<elem>;
@group(0) @binding(1) var<storage, read> Vt: array<elem>;
@group(0) @binding(2) var<storage, read> S: array<elem>;
@group(0) @binding(3) var<storage, read> U: array<elem>;
@group(0) @binding(4) var<storage, read_write> Y: array<elem>;
@group(0) @binding(5) var<uniform> P: Params;

var<workgroup> ys: array<f32, Z_SIZE>;
var<workgroup> zs: array<f32, Z_SIZE>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let t0 = wg.x * TOKENS_PER_WG;
  let nt = min(TOKENS_PER_WG, P.tokens - t0);
  let q = P.n / BLOCKS;
  let p = P.m / BLOCKS;
  let per_token = BLOCKS * P.rank;
  for (var e = li; e < nt * per_token; e += 256u) {
    let t = e / per_token;
    let j = (e % per_token) / P.rank;
    let c = e % P.rank;
    var acc = 0.0;
    for (var k = 0u; k < q; k++) {
      acc = fma(f32(X[(t0 + t) * P.n + j * q + k]), f32(Vt[(j * P.rank + c) * q + k]), acc);
    }
    ys[e] = acc;
  }
  workgroupBarrier();
  for (var e = li; e < nt * per_token; e += 256u) {
    let t = e / per_token;
    let i = (e % per_token) / P.rank;
    let c = e % P.rank;
    var acc = 0.0;
    for (var j = 0u; j < BLOCKS; j++) {
      acc = fma(f32(S[(i * BLOCKS + j) * P.rank + c]), ys[t * per_token + j * P.rank + c], acc);
    }
    zs[e] = acc;
  }
  workgroupBarrier();
  for (var o = li; o < P.m; o += 256u) {
    let i = o / p;
    for (var t = 0u; t < nt; t++) {
      var acc = 0.0;
      for (var c = 0u; c < P.rank; c++) {
        acc = fma(f32(U[o * P.rank + c]), zs[t * per_token + i * P.rank + c], acc);
      }
      Y[(t0 + t) * P.m + o] = elem(acc);
    }
  }
}
