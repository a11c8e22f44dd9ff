// A strided copy: the output is walked in row-major order over four dimensions, and each
// element is read from the input through its own strides. This is the `.contiguous()` /
// permute pass of the unfused strategies (PyTorch eager), so it moves every byte twice.

struct Params {
  d1: u32, d2: u32, d3: u32,   // output dims (d0 is implied by total)
  total: u32,
  s0: u32, s1: u32, s2: u32, s3: u32,  // input strides of the output's four dims
}

@group(0) @binding(0) var<storage, read> src: array<elem>;
@group(0) @binding(1) var<storage, read_write> dst: array<elem>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let e = gid.x + gid.y * nwg.x * 256u;
  if (e >= P.total) { return; }
  let i3 = e % P.d3;
  let i2 = (e / P.d3) % P.d2;
  let i1 = (e / (P.d3 * P.d2)) % P.d1;
  let i0 = e / (P.d3 * P.d2 * P.d1);
  dst[e] = src[i0 * P.s0 + i1 * P.s1 + i2 * P.s2 + i3 * P.s3];
}
