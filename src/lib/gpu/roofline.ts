/**
 * The adapter's measured ceilings: memory bandwidth from a vec4 streaming copy over buffers
 * well past the last-level cache (rotating sources), and peak FLOP/s from FMA chains, per dtype.
 * Both run through the same instance and timing code as the layers (warm-up, timestamps, median).
 */
import type { DeviceCeilings } from '../cost/ceilings';
import type { DType } from '../structures/types';
import { deviceDtypes } from './device';
import { grid1d } from './gemm-plan';
import { PlanInstance } from './instance';
import { PipelineCache } from './pipelines';
import type { Kernels } from './plan-types';
import { quantile, timeInstance, type TimerKind } from './timing';

/**
 * Ceilings measured on an adapter (SI units, as every DeviceCeilings): the copy bandwidth and
 * the f32 FMA peak always, the f16 peak where the adapter has shader-f16.
 */
export interface MeasuredCeilings extends DeviceCeilings {
  bytesPerS: number;
  flopsPerS: { f32: number; f16?: number };
  timer: TimerKind;
  /** the copy's working set, bytes per buffer (absent where not recorded, as in a cached entry) */
  copyBytes?: number;
}

export interface RooflineOptions {
  /** small working sets and short chains: for tests and CPU adapters */
  quick?: boolean;
  reps?: number;
}

export async function measureRoofline(device: GPUDevice, opts: RooflineOptions = {}, cache = new PipelineCache(device)): Promise<MeasuredCeilings> {
  const reps = opts.reps ?? (opts.quick ? 5 : 30);
  const warmMs = opts.quick ? 0 : POINT_WARMUP_MS;
  const copyBytes = Math.min(opts.quick ? 4 * 2 ** 20 : 512 * 2 ** 20, device.limits.maxStorageBufferBindingSize);
  const copy = await medianMs(device, cache, bandwidthKernels(copyBytes), reps, 2, opts.quick ? 0 : CLOCK_WARMUP_MS);
  const result: MeasuredCeilings = { bytesPerS: (2 * copyBytes) / (copy.ms / 1e3), flopsPerS: { f32: 0 }, timer: copy.timer, copyBytes };
  for (const dtype of deviceDtypes(device)) {
    const { flops, ...k } = flopsKernels(dtype, opts.quick ?? false);
    const t = await medianMs(device, cache, k, reps, 1, warmMs);
    result.flopsPerS[dtype] = flops / (t.ms / 1e3);
  }
  return result;
}

/**
 * An idle GPU starts at low clocks and drops back to them within the seconds it waits for the
 * CPU to fill a 512 MiB buffer; ceilings timed then are far too low, by a factor of 2 to 8
 * (docs/decisions.md#clock-warm-up).
 * So the clock is warmed after each ceiling's buffers are filled, right before it is timed:
 * long for the first, as long as a benchmark point's for the next.
 */
const CLOCK_WARMUP_MS = 2000;
/** GPU busy time before each timed point (the engine's too), so it is measured at working clocks. */
export const POINT_WARMUP_MS = 300;

/** Keeps the GPU busy with FMA chains for `ms` of wall time. */
export async function keepBusy(device: GPUDevice, cache: PipelineCache, ms: number): Promise<void> {
  const work = flopsKernels('f32', false);
  const inst = await PlanInstance.create(device, cache, work.kernels, work.data);
  try {
    const start = performance.now();
    while (performance.now() - start < ms) {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      inst.encode(pass);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    }
  } finally {
    inst.destroy();
  }
}

async function medianMs(device: GPUDevice, cache: PipelineCache, k: { kernels: Kernels; data: Record<string, Float64Array> }, reps: number, sets: number, warmMs: number) {
  const inst = await PlanInstance.create(device, cache, k.kernels, k.data, sets);
  try {
    if (warmMs > 0) await keepBusy(device, cache, warmMs);
    const s = await timeInstance(inst, { warmup: 3, reps });
    return { ms: quantile(s.ms, 0.5), timer: s.timer };
  } finally {
    inst.destroy();
  }
}

function bandwidthKernels(bytes: number) {
  const elements = bytes / 4;
  const kernels: Kernels = {
    dtype: 'f32',
    tensors: { src: { elements, role: 'input' }, dst: { elements, role: 'output' } },
    steps: [{ name: 'copy', kernel: 'bandwidth', spec: { dtype: 'f32' }, overrides: {}, bindings: { src: 'src', dst: 'dst' }, params: { vec4s: elements / 4 }, workgroups: grid1d(elements / 4), flops: 0 }],
  };
  // Non-zero data: some memory systems move zeros faster.
  return { kernels, data: { src: Float64Array.from({ length: elements }, (_, i) => (i % 251) / 251) } };
}

function flopsKernels(dtype: DType, quick: boolean) {
  const threads = quick ? 16_384 : 1_048_576;
  const iterations = quick ? 64 : 1024;
  const kernels: Kernels = {
    dtype,
    tensors: { sink: { elements: threads * 4, role: 'output' } },
    steps: [{ name: 'fma', kernel: 'peak-flops', spec: { dtype }, overrides: { ITERATIONS: iterations }, bindings: { sink: 'sink' }, params: { threads }, workgroups: grid1d(threads), flops: 0 }],
  };
  return { kernels, data: {}, flops: threads * iterations * 8 * 4 * 2 };
}
