// The ceiling of WebGPU's matrix units through Dawn: subgroupMatrixMultiplyAccumulate's
// throughput for every subgroup-matrix config the adapter reports, with operands loaded once
// and results stored once, so nothing but the multiply-accumulates is timed. Each subgroup
// keeps TA × TB accumulators (independent chains) and loops ITERS times over their products;
// the best rate over the shapes tried is the ceiling that any matrix-unit kernel on this
// adapter is judged against.
//   node bench/matrix-units/peak.mjs ["dawn toggles"]   (with the `webgpu` package beside it)
// Prints one JSON line per (config, shape) and a closing line with each config's best.
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
  requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize },
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
for (const c of configs) {
  const label = `${c.M}x${c.N}x${c.K} ${c.componentType}>${c.resultComponentType}`;
  for (const [ta, tb, subgroups] of [[1, 1, 4], [2, 2, 4], [4, 2, 4], [4, 4, 4], [2, 2, 8], [4, 2, 8], [4, 4, 8]]) {
    const workgroups = 132 * 16;
    const bytes = c.componentType === 'f16' ? 2 : 4;
    // Random operands: tensor cores draw less power, and may clock higher, on zeros.
    const srcBytes = Math.max(ta * c.M * c.K, tb * c.K * c.N) * bytes * 2 + 256;
    const src = device.createBuffer({ size: srcBytes, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
    const words = new Uint32Array(src.getMappedRange());
    // f16 pairs (or f32) in [-1, 1): sign, a small exponent and random mantissa bits
    for (let i = 0; i < words.length; i++) words[i] = bytes === 2 ? (0x3800 | (Math.random() * 0x3ff) | (i & 1) << 15) * 0x10001 : 0x3f000000 | (Math.random() * 0x7fffff);
    src.unmap();
    const dst = device.createBuffer({ size: workgroups * subgroups * ta * tb * c.M * c.N * (c.resultComponentType === 'f16' ? 2 : 4), usage: GPUBufferUsage.STORAGE });
    const module = device.createShaderModule({ code: kernel(c, ta, tb, subgroups) });
    const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
    if (errors.length) {
      console.log(JSON.stringify({ config: label, ta, tb, subgroups, compileError: errors[0].message.slice(0, 300) }));
      continue;
    }
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [src, dst].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const ms = await time(pipeline, bindGroup, workgroups);
    const tflops = (2 * c.M * c.N * c.K * ta * tb * ITERS * subgroups * workgroups) / ms / 1e9;
    console.log(JSON.stringify({ config: label, ta, tb, subgroups, workgroups, ms: +ms.toFixed(4), tflops: +tflops.toFixed(1) }));
    best[label] = Math.max(best[label] ?? 0, +tflops.toFixed(1));
    src.destroy();
    dst.destroy();
  }
}
console.log(JSON.stringify({ bestTflops: best }));
