// BLAST's coupling step on its own (unfused strategy):
//   Z[i][t][c] = Σ_j S[i][j][c] · Yb[j][t][c]
// with Yb and Z laid out (b, T, r) and S (b, b, r). One thread per element of Z.

struct Params { blocks: u32, tokens: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> Yb: array<elem>;
@group(0) @binding(1) var<storage, read> S: array<elem>;
@group(0) @binding(2) var<storage, read_write> Z: array<elem>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * 256u;
  let plane = P.tokens * P.rank;
  if (e >= P.blocks * plane) { return; }
  let i = e / plane;
  let tc = e % plane;
  let c = tc % P.rank;
  var acc = 0.0;
  for (var j = 0u; j < P.blocks; j++) {
    acc = fma(f32(S[(i * P.blocks + j) * P.rank + c]), f32(Yb[j * plane + tc]), acc);
  }
  Z[e] = elem(acc);
}
