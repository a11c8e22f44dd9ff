// Arithmetic ceiling: eight independent vec4 FMA chains per thread (enough in flight to hide
// FMA latency), ITERATIONS deep, in `elem` precision. The sum is stored so the compiler
// cannot drop the work. FLOPs = threads · ITERATIONS · 8 chains · 4 lanes · 2.

override ITERATIONS: u32 = 256u;

struct Params { threads: u32 }

@group(0) @binding(0) var<storage, read_write> sink: array<vec4<elem>>;
@group(0) @binding(1) var<uniform> P: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let id = gid.x + gid.y * nwg.x * 256u;
  if (id >= P.threads) { return; }
  // b < 1 and c small keep every chain bounded (it converges to c / (1 - b)) in f16 too.
  let b = vec4<elem>(elem(0.9990), elem(0.9991), elem(0.9992), elem(0.9993));
  let c = vec4<elem>(elem(0.001));
  var a0 = vec4<elem>(elem(f32(id % 7u) * 0.01));
  var a1 = a0 + c; var a2 = a1 + c; var a3 = a2 + c;
  var a4 = a3 + c; var a5 = a4 + c; var a6 = a5 + c; var a7 = a6 + c;
  for (var i = 0u; i < ITERATIONS; i++) {
    a0 = fma(a0, b, c); a1 = fma(a1, b, c); a2 = fma(a2, b, c); a3 = fma(a3, b, c);
    a4 = fma(a4, b, c); a5 = fma(a5, b, c); a6 = fma(a6, b, c); a7 = fma(a7, b, c);
  }
  sink[id] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}
