// Probe of the f32 FMA-chain ceiling through Dawn: times variants of shaders/peak-flops.wgsl's
// chain kernel (vector width, chain count, fma vs a*b+c, loop bound constant vs uniform,
// workgroup size) and a read-only streaming kernel, with GPU timestamps, median of 20 runs.
// On the GPU machine, from the project root after npm ci:
//   node bench/fma-probe.mjs ["<dawn toggles>"]
import { readFileSync } from 'node:fs';
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const toggles = ['disable-dawn-features=timestamp_quantization', ...(process.argv[2] ?? 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia').split(/\s+/).filter(Boolean)];
const gpu = create(toggles);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const features = ['timestamp-query', 'shader-f16'].filter((f) => adapter.features.has(f));
const device = await adapter.requestDevice({ requiredFeatures: features, requiredLimits: Object.fromEntries(['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX'].map((k) => [k, adapter.limits[k]])) });
device.addEventListener('uncapturederror', (e) => console.error('WebGPU error:', e.error.message));

const THREADS = 1 << 20;

/** One FMA-chain variant: `chains` accumulators of `vec`-wide `elem`, `iters` deep. */
function chainShader({ elem = 'f32', vec = 4, chains = 8, op = 'fma', loop = 'const', wg = 256, iters = 1024 }) {
  const T = vec === 1 ? elem : `vec${vec}<${elem}>`;
  const decl = [];
  for (let c = 0; c < chains; c++) decl.push(`var a${c} = ${T}(${elem}(f32(id % 7u) * 0.01 + ${c}.0 * 0.001));`);
  const body = [];
  for (let c = 0; c < chains; c++) body.push(op === 'fma' ? `a${c} = fma(a${c}, b, c);` : `a${c} = a${c} * b + c;`);
  const sum = Array.from({ length: chains }, (_, c) => `a${c}`).join(' + ');
  const bound = loop === 'const' ? `${iters}u` : 'P.iters';
  return {
    flops: THREADS * iters * chains * vec * 2,
    wg,
    code: `${elem === 'f16' ? 'enable f16;' : ''}
struct Params { iters: u32 }
@group(0) @binding(0) var<storage, read_write> sink: array<${T}>;
@group(0) @binding(1) var<uniform> P: Params;
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let id = gid.x;
  if (P.iters == 0u) { return; } // keeps P bound in the constant-depth variants too
  let b = ${T}(${elem}(0.9990));
  let c = ${T}(${elem}(0.001));
  ${decl.join('\n  ')}
  for (var i = 0u; i < ${bound}; i++) {
    ${body.join('\n    ')}
  }
  sink[id] = ${sum};
}`,
  };
}

async function timeDispatch(code, wg, bindings, workgroups, reps = 20) {
  const module = device.createShaderModule({ code });
  const info = await module.getCompilationInfo();
  for (const m of info.messages) if (m.type === 'error') throw new Error(m.message);
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  return timePipeline(pipeline, bindings, workgroups, reps);
}

async function timePipeline(pipeline, bindings, workgroups, reps = 20) {
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: bindings.map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const resolve = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  for (let i = 0; i < reps + 3; i++) {
    const t = i >= 3 ? { querySet: qs, beginningOfPassWriteIndex: 2 * (i - 3), endOfPassWriteIndex: 2 * (i - 3) + 1 } : undefined;
    const pass = enc.beginComputePass(t ? { timestampWrites: t } : {});
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(...workgroups);
    pass.end();
  }
  enc.resolveQuerySet(qs, 0, 2 * reps, resolve, 0);
  enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * reps);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const ticks = new BigInt64Array(read.getMappedRange().slice(0));
  read.unmap();
  const ms = [];
  for (let i = 0; i < reps; i++) ms.push(Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(reps / 2)];
}

const uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(uniform, 0, new Uint32Array([1024, 0, 0, 0]));
const sink = device.createBuffer({ size: THREADS * 16, usage: GPUBufferUsage.STORAGE });

async function chain(label, v) {
  const s = chainShader(v);
  const ms = await timeDispatch(s.code, s.wg, [sink, uniform], [THREADS / s.wg, 1, 1]);
  console.log(`${label.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms  ${(s.flops / ms / 1e9).toFixed(1).padStart(6)} TFLOP/s`);
}

// Warm the clocks (a fresh machine idles at low clocks).
const warm = chainShader({});
const t0 = performance.now();
while (performance.now() - t0 < 2500) await timeDispatch(warm.code, 256, [sink, uniform], [THREADS / 256, 1, 1], 5);

console.log(`toggles: ${toggles.join(' ')}`);
await chain('as shipped: vec4 x8 fma const 1024', {});
await chain('loop bound from a uniform', { loop: 'uniform' });
await chain('const 64 iterations (x16 threads less work)', { iters: 64 });
await chain('a*b+c instead of fma', { op: 'mad' });
await chain('scalar x8 chains', { vec: 1, chains: 8 });
await chain('scalar x32 chains', { vec: 1, chains: 32 });
await chain('scalar x32 chains, uniform bound', { vec: 1, chains: 32, loop: 'uniform' });
await chain('vec4 x4 chains', { chains: 4 });
await chain('vec4 x16 chains', { chains: 16 });
await chain('vec2 x16 chains', { vec: 2, chains: 16 });
await chain('workgroup 64', { wg: 64 });
await chain('workgroup 1024', { wg: 1024 });
if (device.features.has('shader-f16')) {
  await chain('f16 as shipped', { elem: 'f16' });
  await chain('f16 uniform bound', { elem: 'f16', loop: 'uniform' });
}

// The shipped ceiling kernels (roofline.ts) as they are, outside the engine: same source, same
// override, same grid.
async function shipped(file, constants, bindings, workgroups) {
  const code = `alias elem = f32;\n${readFileSync(new URL(`../shaders/${file}`, import.meta.url), 'utf8')}`;
  const module = device.createShaderModule({ code });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main', constants } });
  return timePipeline(pipeline, bindings, workgroups);
}
{
  const u = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(u, 0, new Uint32Array([THREADS, 0, 0, 0]));
  const ms = await shipped('peak-flops.wgsl', { ITERATIONS: 1024 }, [sink, u], [THREADS / 256, 1, 1]);
  console.log('shaders/peak-flops.wgsl, f32'.padEnd(34), `${ms.toFixed(3).padStart(8)} ms  ${((THREADS * 1024 * 64) / ms / 1e9).toFixed(1).padStart(6)} TFLOP/s`);
}

// Read-only streaming (the memory-bound kernels mostly read): each thread sums vec4s, grid-stride.
const BYTES = 1 << 30;
const src = device.createBuffer({ size: BYTES, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
const dst = device.createBuffer({ size: BYTES, usage: GPUBufferUsage.STORAGE });
const chunk = new Float32Array(1 << 24).map((_, i) => (i % 251) / 251);
for (let off = 0; off < BYTES; off += chunk.byteLength) device.queue.writeBuffer(src, off, chunk);
for (const threads of [1 << 18, 1 << 20, 1 << 22]) {
  const code = `@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4f>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  var s = vec4f();
  for (var i = gid.x; i < ${BYTES / 16}u; i += ${threads}u) { s += src[i]; }
  out[gid.x] = s;
}`;
  const ms = await timeDispatch(code, 256, [src, dst], [threads / 256, 1, 1]);
  console.log(`read-only vec4, ${threads} threads`.padEnd(34), `${ms.toFixed(3).padStart(8)} ms  ${(BYTES / ms / 1e6).toFixed(0).padStart(6)} GB/s`);
}
const copyCode = `@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) n: vec3u) {
  let i = gid.x + gid.y * n.x * 256u;
  dst[i] = src[i];
}`;
const vec4s = BYTES / 16;
const copyMs = await timeDispatch(copyCode, 256, [src, dst], [32768, vec4s / 256 / 32768, 1]);
console.log('copy vec4, 1 GiB (read + write)'.padEnd(34), `${copyMs.toFixed(3).padStart(8)} ms  ${((2 * BYTES) / copyMs / 1e6).toFixed(0).padStart(6)} GB/s`);
{
  // shaders/bandwidth.wgsl over 512 MiB with roofline.ts's grid (grid1d: 65535 wide).
  const half = BYTES / 2;
  const n = half / 16;
  const u = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(u, 0, new Uint32Array([n, 0, 0, 0]));
  const flags = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const s2 = device.createBuffer({ size: half, usage: flags });
  const d2 = device.createBuffer({ size: half, usage: flags });
  const groups = n / 256;
  const ms = await shipped('bandwidth.wgsl', {}, [s2, d2, u], [65535, Math.ceil(groups / 65535), 1]);
  console.log('shaders/bandwidth.wgsl, 512 MiB'.padEnd(34), `${ms.toFixed(3).padStart(8)} ms  ${((2 * half) / ms / 1e6).toFixed(0).padStart(6)} GB/s`);
}
device.destroy();
