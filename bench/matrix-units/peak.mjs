// The ceiling of WebGPU's matrix units through Dawn: subgroupMatrixMultiplyAccumulate's
// throughput for every subgroup-matrix config the adapter reports, with operands loaded once
// and results stored once, so nothing but the multiply-accumulates is timed. Each subgroup
// keeps TA × TB accumulators (independent chains) and loops ITERS times over their products;
// the best rate over the shapes tried is the ceiling that any matrix-unit kernel on this
// adapter is judged against.
// Then the same products fed as gemm-mma.wgsl feeds them: every step loads its left and right
// fragments from a tile in workgroup memory (filled once; rows of 2·K elements and 8 of padding,
// right fragments column-major), with SG_M × SG_N subgroups sharing the tile's rows as
// gemm-mma's do, from an array of scalars and from an array of vec4 (gemm-mma's staging). What
// that reaches bounds any kernel that stages its operands in workgroup memory, before a single
// byte comes from global memory.
//   node bench/matrix-units/peak.mjs ["dawn toggles"]   (with the `webgpu` package beside it)
// Prints one JSON line per (config, shape) and a closing line with each config's best, in
// registers (bestTflops) and from workgroup memory (bestFromWorkgroupTflops).
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const toggles = (process.argv[2] ?? 'enable-dawn-features=allow_unsafe_apis,vulkan_enable_f16_on_nvidia').split(' ').filter(Boolean);
toggles.push('disable-dawn-features=timestamp_quantization');
const gpu = create(toggles);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const FEATURE = 'chromium-experimental-subgroup-matrix';
if (!adapter?.features.has(FEATURE)) {
  console.log(JSON.stringify({ error: `no ${FEATURE} on this adapter`, adapter: adapter?.info.description }));
  process.exit(0);
}
const features = ['timestamp-query', 'shader-f16', 'subgroups', FEATURE].filter((f) => adapter.features.has(f));
const device = await adapter.requestDevice({
  requiredFeatures: features,
  // the larger tilings write more than the default 128 MiB binding
  requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize },
});
device.addEventListener('uncapturederror', (e) => console.log(JSON.stringify({ gpuError: e.error.message.slice(0, 400) })));
const info = adapter.info;
const configs = info.subgroupMatrixConfigs.filter((c) => ['f16', 'f32'].includes(c.componentType));
console.log(JSON.stringify({ adapter: `${info.vendor} ${info.architecture} ${info.description}`, subgroup: [info.subgroupMinSize, info.subgroupMaxSize],
  configs: info.subgroupMatrixConfigs.map((c) => `${c.M}x${c.N}x${c.K} ${c.componentType}>${c.resultComponentType}`) }));

const SG = info.subgroupMaxSize;
const ITERS = 2048;

function kernel(c, ta, tb, subgroups) {
  const left = `subgroup_matrix_left<${c.componentType}, ${c.K}, ${c.M}>`;
  const right = `subgroup_matrix_right<${c.componentType}, ${c.N}, ${c.K}>`;
  const result = `subgroup_matrix_result<${c.resultComponentType}, ${c.N}, ${c.M}>`;
  const lines = [];
  for (let i = 0; i < ta; i++) lines.push(`let a${i} = subgroupMatrixLoad<${left}, row_major>(&src, ${i * c.M * c.K}u, ${c.K}u);`);
  for (let j = 0; j < tb; j++) lines.push(`let b${j} = subgroupMatrixLoad<${right}, row_major>(&src, ${j * c.K * c.N}u, ${c.N}u);`);
  for (let i = 0; i < ta; i++) for (let j = 0; j < tb; j++) lines.push(`var c${i}_${j}: ${result};`);
  const body = [];
  for (let i = 0; i < ta; i++) for (let j = 0; j < tb; j++) body.push(`c${i}_${j} = subgroupMatrixMultiplyAccumulate(a${i}, b${j}, c${i}_${j});`);
  const stores = [];
  for (let i = 0; i < ta; i++) for (let j = 0; j < tb; j++) {
    stores.push(`subgroupMatrixStore<row_major>(&dst, (sg * ${ta * tb}u + ${i * tb + j}u) * ${c.M * c.N}u, c${i}_${j}, ${c.N}u);`);
  }
  return [
    'enable f16;',
    'enable chromium_experimental_subgroup_matrix;',
    'diagnostic(off, chromium.subgroup_matrix_uniformity);',
    `@group(0) @binding(0) var<storage, read> src: array<${c.componentType}>;`,
    `@group(0) @binding(1) var<storage, read_write> dst: array<${c.resultComponentType}>;`,
    `@compute @workgroup_size(${subgroups * SG})`,
    'fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {',
    `  let sg = wg.x * ${subgroups}u + li / ${SG}u;`,
    ...lines.map((l) => `  ${l}`),
    `  for (var it = 0u; it < ${ITERS}u; it++) {`,
    ...body.map((l) => `    ${l}`),
    '  }',
    ...stores.map((l) => `  ${l}`),
    '}',
  ].join('\n');
}

/**
 * The products of `kernel`, each step's fragments loaded from workgroup memory: a tile of BM rows
 * of A and BN rows of B, each row 2·K elements (two steps of K) and 8 of padding, in `vec`-wide
 * array elements (1: the component type, 4: vec4 of it; offsets and strides count them).
 * Subgroup (sm, sn) multiplies A's rows sm·TA·M … by B's rows sn·TB·N …, as in gemm-mma.wgsl.
 */
function kernelFromWorkgroup(c, ta, tb, sgM, sgN, vec) {
  const left = `subgroup_matrix_left<${c.componentType}, ${c.K}, ${c.M}>`;
  const right = `subgroup_matrix_right<${c.componentType}, ${c.N}, ${c.K}>`;
  const result = `subgroup_matrix_result<${c.resultComponentType}, ${c.N}, ${c.M}>`;
  const elem = vec === 4 ? `vec4<${c.componentType}>` : c.componentType;
  const row = (2 * c.K + 8) / vec;
  const bm = sgM * ta * c.M;
  const bn = sgN * tb * c.N;
  const body = [];
  for (let i = 0; i < ta; i++) body.push(`let a${i} = subgroupMatrixLoad<${left}, row_major>(&tile, (row_a + ${i * c.M}u) * ${row}u + kk, ${row}u);`);
  for (let j = 0; j < tb; j++) {
    body.push(`let b${j} = subgroupMatrixLoad<${right}, col_major>(&tile, (${bm}u + row_b + ${j * c.N}u) * ${row}u + kk, ${row}u);`);
    for (let i = 0; i < ta; i++) body.push(`c${i}_${j} = subgroupMatrixMultiplyAccumulate(a${i}, b${j}, c${i}_${j});`);
  }
  const accs = [];
  const stores = [];
  for (let i = 0; i < ta; i++) for (let j = 0; j < tb; j++) {
    accs.push(`var c${i}_${j}: ${result};`);
    stores.push(`subgroupMatrixStore<row_major>(&dst, (sg * ${ta * tb}u + ${i * tb + j}u) * ${c.M * c.N}u, c${i}_${j}, ${c.N}u);`);
  }
  const subgroups = sgM * sgN;
  return [
    'enable f16;',
    'enable chromium_experimental_subgroup_matrix;',
    'diagnostic(off, chromium.subgroup_matrix_uniformity);',
    `@group(0) @binding(0) var<storage, read> src: array<${elem}>;`,
    `@group(0) @binding(1) var<storage, read_write> dst: array<${c.resultComponentType}>;`,
    `var<workgroup> tile: array<${elem}, ${(bm + bn) * row}>;`,
    `@compute @workgroup_size(${subgroups * SG})`,
    'fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {',
    `  for (var e = li; e < ${(bm + bn) * row}u; e += ${subgroups * SG}u) { tile[e] = src[e]; }`,
    '  workgroupBarrier();',
    `  let sgl = li / ${SG}u;`,
    `  let sg = wg.x * ${subgroups}u + sgl;`,
    `  let row_a = (sgl / ${sgN}u) * ${ta * c.M}u;`,
    `  let row_b = (sgl % ${sgN}u) * ${tb * c.N}u;`,
    ...accs.map((l) => `  ${l}`),
    `  for (var it = 0u; it < ${ITERS}u; it++) {`,
    `    let kk = (it & 1u) * ${c.K / vec}u;`,
    ...body.map((l) => `    ${l}`),
    '  }',
    ...stores.map((l) => `  ${l}`),
    '}',
  ].join('\n');
}

/** Random operands in [-1, 1), `bytes` long: tensor cores draw less power, and may clock higher, on zeros. */
function randomOperands(bytes, elementBytes) {
  const src = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
  const words = new Uint32Array(src.getMappedRange());
  // f16 pairs (or f32): sign, a small exponent and random mantissa bits
  for (let i = 0; i < words.length; i++) words[i] = elementBytes === 2 ? (0x3800 | (Math.random() * 0x3ff) | (i & 1) << 15) * 0x10001 : 0x3f000000 | (Math.random() * 0x7fffff);
  src.unmap();
  return src;
}

/** Compiles `code` and times it over `workgroups`: ms, or null after printing the compile error. */
async function measure(code, src, dst, workgroups, label) {
  const module = device.createShaderModule({ code });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  if (errors.length) {
    console.log(JSON.stringify({ ...label, compileError: errors[0].message.slice(0, 300) }));
    return null;
  }
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [src, dst].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return time(pipeline, bindGroup, workgroups);
}

async function time(pipeline, bindGroup, workgroups) {
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolve = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const run = (timed) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass(timed ? { timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups);
    pass.end();
    if (timed) {
      enc.resolveQuerySet(qs, 0, 2, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, read, 0, 16);
    }
    device.queue.submit([enc.finish()]);
  };
  run(false);
  await device.queue.onSubmittedWorkDone();
  const ms = [];
  for (let i = 0; i < 5; i++) {
    run(true);
    await read.mapAsync(GPUMapMode.READ);
    const t = new BigInt64Array(read.getMappedRange());
    ms.push(Number(t[1] - t[0]) / 1e6);
    read.unmap();
  }
  return ms.sort((a, b) => a - b)[2];
}

const best = {};
const bestFromWorkgroup = {};
const resultBytes = (c) => (c.resultComponentType === 'f16' ? 2 : 4);
for (const c of configs) {
  const label = `${c.M}x${c.N}x${c.K} ${c.componentType}>${c.resultComponentType}`;
  const bytes = c.componentType === 'f16' ? 2 : 4;
  const workgroups = 132 * 16;
  for (const [ta, tb, subgroups] of [[1, 1, 4], [2, 2, 4], [4, 2, 4], [4, 4, 4], [2, 2, 8], [4, 2, 8], [4, 4, 8]]) {
    const src = randomOperands(Math.max(ta * c.M * c.K, tb * c.K * c.N) * bytes * 2 + 256, bytes);
    const dst = device.createBuffer({ size: workgroups * subgroups * ta * tb * c.M * c.N * resultBytes(c), usage: GPUBufferUsage.STORAGE });
    const ms = await measure(kernel(c, ta, tb, subgroups), src, dst, workgroups, { config: label, ta, tb, subgroups });
    if (ms !== null) {
      const tflops = (2 * c.M * c.N * c.K * ta * tb * ITERS * subgroups * workgroups) / ms / 1e9;
      console.log(JSON.stringify({ config: label, ta, tb, subgroups, workgroups, ms: +ms.toFixed(4), tflops: +tflops.toFixed(1) }));
      best[label] = Math.max(best[label] ?? 0, +tflops.toFixed(1));
    }
    src.destroy();
    dst.destroy();
  }
  // gemm-mma's tilings (subgroups SG_M × SG_N, fragments TA × TB a subgroup), from workgroup memory
  for (const [ta, tb, sgM, sgN] of [[2, 2, 2, 2], [4, 4, 2, 2], [4, 2, 2, 4], [2, 4, 4, 2], [4, 4, 2, 4]]) {
    for (const vec of [1, 4]) {
      const tileBytes = (sgM * ta * c.M + sgN * tb * c.N) * (2 * c.K + 8) * bytes;
      if (tileBytes > device.limits.maxComputeWorkgroupStorageSize) continue;
      const subgroups = sgM * sgN;
      const src = randomOperands(tileBytes + 256, bytes);
      const dst = device.createBuffer({ size: workgroups * subgroups * ta * tb * c.M * c.N * resultBytes(c), usage: GPUBufferUsage.STORAGE });
      const shape = { config: label, from: 'workgroup', elements: vec === 4 ? 'vec4' : 'scalar', ta, tb, sgM, sgN };
      const ms = await measure(kernelFromWorkgroup(c, ta, tb, sgM, sgN, vec), src, dst, workgroups, shape);
      if (ms !== null) {
        const tflops = (2 * c.M * c.N * c.K * ta * tb * ITERS * subgroups * workgroups) / ms / 1e9;
        console.log(JSON.stringify({ ...shape, workgroups, ms: +ms.toFixed(4), tflops: +tflops.toFixed(1) }));
        const key = `${label} ${shape.elements}`;
        bestFromWorkgroup[key] = Math.max(bestFromWorkgroup[key] ?? 0, +tflops.toFixed(1));
      }
      src.destroy();
      dst.destroy();
    }
  }
}
console.log(JSON.stringify({ bestTflops: best, bestFromWorkgroupTflops: bestFromWorkgroup }));
