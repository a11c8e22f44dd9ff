// Low-rank, fully fused (the design of the paper's _triton_low_rank_kernel): one dispatch,
// Y = (X·V)·Uᵀ, the intermediate z = X·V never leaving the chip. A workgroup owns TM tokens
// (the prelude's TM: as many as their z, in f32, fits in workgroup memory beside X's tile) and
// reads all of both factors; the grid is ⌈T / TM⌉ workgroups (folded into y past 65535).
//   Phase 1, z = X·V into workgroup memory, in passes of (THREADS / LANES) · TN columns: X's tile
//   (TM tokens × STAGE vectors of n) is staged in workgroup memory; each thread keeps TN columns ×
//   TM tokens of running sums and reads its columns' rows of Vt; LANES neighbouring threads share
//   a column, splitting its k (where r is small, so that every thread has work), and add their
//   sums into z in turn.
//   Phase 2, Y = z·Uᵀ in tiles of THREADS · TN outputs: each thread keeps TN outputs × TM tokens
//   of running sums, reads its outputs' rows of U and the tokens' z vectors (the same for every
//   thread) from workgroup memory; neighbouring threads store neighbouring outputs.
// Rows of X, Vt and U are read four elements at a time through the prelude's load_x, load_vt and
// load_u: one 16-byte load where the row length is a multiple of four (the bindings are then
// vec4: N_ELEM for n, R_ELEM for r), else element by element, zero past the row's end.
//   X: (T, n)   Vt: (r, n)   U: (m, r)   Y: (T, m)

const THREADS: u32 = 256u;
const STAGE: u32 = 32u; // vectors of each token's row of X per stage (the plan counts them: lowrank.ts)

override LANES: u32;  // threads sharing one column of z in phase 1, a power of two ≤ STAGE
override Z_VECS: u32; // TM · ⌈r / 4⌉

struct Params { tokens: u32, n: u32, m: u32, rank: u32 }

@group(0) @binding(0) var<storage, read> X: array<N_ELEM>;
@group(0) @binding(1) var<storage, read> Vt: array<N_ELEM>;
@group(0) @binding(2) var<storage, read> U: array<R_ELEM>;
@group(0) @binding(3) var<storage, read_write> Y: array<elem>;
@group(0) @binding(4) var<uniform> P: Params;

var<workgroup> xs: array<vecw, TM * STAGE>;
// z of token t, columns 4v … 4v + 3, at t · ⌈r / 4⌉ + v; columns past r stay zero
var<workgroup> zs: array<vecw, Z_VECS>;

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) grid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let t0 = (wg.y * grid.x + wg.x) * TM;
  if (t0 >= P.tokens) { return; } // the folded grid's last row, past T
  let nv = (P.n + 3u) / 4u;
  let rv = (P.rank + 3u) / 4u;

  let lane = li % LANES;
  let group = li / LANES;
  let groups = THREADS / LANES;
  for (var c0 = 0u; c0 < P.rank; c0 += groups * TN) {
    // Columns past r read the last row and are never stored: no branch around the loads.
    var rows: array<u32, TN>;
    for (var j = 0u; j < TN; j++) { rows[j] = min(c0 + group + j * groups, P.rank - 1u); }
    var acc = array<f32, TM * TN>();
    for (var kv0 = 0u; kv0 < nv; kv0 += STAGE) {
      // xs[t][u] = X(t0 + t, kv0 + u), zero past the tokens and past n
      for (var e = li; e < TM * STAGE; e += THREADS) {
        let t = t0 + e / STAGE;
        let kv = kv0 + e % STAGE;
        var x = vecw();
        if (t < P.tokens && kv < nv) { x = load_x(t, kv); }
        xs[e] = x;
      }
      workgroupBarrier();
      let len = min(STAGE, nv - kv0);
      for (var u = lane; u < len; u += LANES) {
        for (var j = 0u; j < TN; j++) {
          let w = load_vt(rows[j], kv0 + u);
          for (var t = 0u; t < TM; t++) { acc[j * TM + t] = mac(xs[t * STAGE + u], w, acc[j * TM + t]); }
        }
      }
      workgroupBarrier();
    }
    for (var l = 0u; l < LANES; l++) {
      if (lane == l) {
        for (var j = 0u; j < TN; j++) {
          let c = c0 + group + j * groups;
          if (c < P.rank) {
            for (var t = 0u; t < TM; t++) {
              let at = t * rv + c / 4u;
              if (l == 0u) { zs[at][c % 4u] = acc[j * TM + t]; } else { zs[at][c % 4u] += acc[j * TM + t]; }
            }
          }
        }
      }
      workgroupBarrier();
    }
  }

  for (var o0 = 0u; o0 < P.m; o0 += THREADS * TN) {
    var rows: array<u32, TN>;
    for (var j = 0u; j < TN; j++) { rows[j] = min(o0 + li + j * THREADS, P.m - 1u); }
    var acc = array<f32, TM * TN>();
    for (var cv = 0u; cv < rv; cv++) {
      var w: array<vecw, TN>;
      for (var j = 0u; j < TN; j++) { w[j] = load_u(rows[j], cv); }
      for (var t = 0u; t < TM; t++) {
        let z = zs[t * rv + cv];
        for (var j = 0u; j < TN; j++) { acc[j * TM + t] = mac(z, w[j], acc[j * TM + t]); }
      }
    }
    for (var j = 0u; j < TN; j++) {
      let o = o0 + li + j * THREADS;
      if (o < P.m) {
        for (var t = 0u; t < TM; t++) {
          if (t0 + t < P.tokens) { Y[(t0 + t) * P.m + o] = elem(acc[j * TM + t]); }
        }
      }
    }
  }
}
