// Sums the f32 partial products of split work, laid out [split][z][row][col]: split-K of
// gemm.wgsl and gemv.wgsl, and blast-partial.wgsl's input blocks split over workgroups. It
// stores them with the destination's strides, so a split product stores exactly where an
// unsplit one would.

struct Params {
  M: u32, N: u32, batches: u32, batchInner: u32, splits: u32,
  c_off: u32, c_ld: u32, c_col: u32, c_outer: u32, c_inner: u32,
  c_group: u32, c_group_stride: u32, // columns in groups, as gemm-io.wgsl's c_col_offset
}

@group(0) @binding(0) var<storage, read> partial: array<f32>;
@group(0) @binding(1) var<storage, read_write> C: array<elem>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let per_split = P.batches * P.M * P.N;
  let e = gid.x + gid.y * nwg.x * 256u;
  if (e >= per_split) { return; }
  var sum = 0.0;
  for (var s = 0u; s < P.splits; s++) { sum += partial[s * per_split + e]; }
  let col = e % P.N;
  let row = (e / P.N) % P.M;
  let z = e / (P.M * P.N);
  let outer = z / P.batchInner;
  let inner = z % P.batchInner;
  let c_col = (col / P.c_group) * P.c_group_stride + (col % P.c_group) * P.c_col;
  C[P.c_off + outer * P.c_outer + inner * P.c_inner + row * P.c_ld + c_col] = elem(sum);
}
