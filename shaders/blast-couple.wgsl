// BLAST's coupling step on its own (unfused strategy):
//   Z[i][t][c] = Σ_j S[i][j][c] · Yb[j][t][c]
// with Yb and Z laid out (b, T, r) and S (b, b, r). Two layouts, one entry point each, so that
// each keeps constant loop bounds (src/lib/structures/kinds/blast.ts picks one by the thread count):
// - main: a thread takes one column c of TM consecutive tokens and writes all b output blocks
//   of them, so it reads each value of Yb once and each of S once per TM tokens. The prelude
//   makes BLOCKS and TM constants (shaders.ts): the thread's b · TM values of Yb live in
//   registers.
// - per_element: one thread per element of Z, which re-reads b values of Yb, but gives few
//   tokens b times the threads of `main` (at T = 1, r threads would leave most of a GPU idle).

struct Params { tokens: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> Yb: array<elem>;
@group(0) @binding(1) var<storage, read> S: array<elem>;
@group(0) @binding(2) var<storage, read_write> Z: array<elem>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * 256u;
  let c = e % P.rank;
  let t0 = (e / P.rank) * TM;
  if (t0 >= P.tokens) { return; }
  let plane = P.tokens * P.rank;
  var y = array<f32, BLOCKS * TM>();
  for (var j = 0u; j < BLOCKS; j++) {
    for (var tt = 0u; tt < TM; tt++) {
      let t = min(t0 + tt, P.tokens - 1u);
      y[j * TM + tt] = f32(Yb[j * plane + t * P.rank + c]);
    }
  }
  for (var i = 0u; i < BLOCKS; i++) {
    var acc = array<f32, TM>();
    for (var j = 0u; j < BLOCKS; j++) {
      let s = f32(S[(i * BLOCKS + j) * P.rank + c]);
      for (var tt = 0u; tt < TM; tt++) { acc[tt] = fma(s, y[j * TM + tt], acc[tt]); }
    }
    for (var tt = 0u; tt < TM; tt++) {
      if (t0 + tt < P.tokens) { Z[i * plane + (t0 + tt) * P.rank + c] = elem(acc[tt]); }
    }
  }
}

@compute @workgroup_size(256)
fn per_element(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * 256u;
  let plane = P.tokens * P.rank;
  if (e >= BLOCKS * plane) { return; }
  let i = e / plane;
  let tc = e % plane;
  let c = tc % P.rank;
  var acc = 0.0;
  for (var j = 0u; j < BLOCKS; j++) {
    acc = fma(f32(S[(i * BLOCKS + j) * P.rank + c]), f32(Yb[j * plane + tc]), acc);
  }
  Z[e] = elem(acc);
}
