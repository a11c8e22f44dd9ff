// Memory-bandwidth ceiling: a vec4 streaming copy, one thread per vec4, so every byte is read
// once and written once. Timed over buffers well past the last-level cache, rotating sources.

struct Params { vec4s: u32 }

@group(0) @binding(0) var<storage, read> src: array<vec4<elem>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<elem>>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i < P.vec4s) { dst[i] = src[i]; }
}
