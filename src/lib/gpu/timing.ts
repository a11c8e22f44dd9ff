/**
 * Times a layer: warm-up first, then `reps` runs, each its own compute pass bracketed by GPU
 * timestamps where the device has 'timestamp-query' (else wall clock around submit and
 * completion), cycling through the instance's input/weight sets so caches do not flatter.
 */
import type { PlanInstance } from './instance';

export interface TimingOptions {
  warmup: number;
  reps: number;
}

export interface Samples {
  ms: number[];
  timer: 'timestamp-query' | 'cpu-submit';
}

export async function timeInstance(inst: PlanInstance, opts: TimingOptions): Promise<Samples> {
  const device = inst.device;
  const warm = device.createCommandEncoder();
  for (let i = 0; i < opts.warmup; i++) {
    const pass = warm.beginComputePass();
    inst.encode(pass, i % inst.sets);
    pass.end();
  }
  device.queue.submit([warm.finish()]);
  await device.queue.onSubmittedWorkDone();
  return device.features.has('timestamp-query') ? timestampSamples(inst, opts.reps) : wallClockSamples(inst, opts.reps);
}

async function timestampSamples(inst: PlanInstance, reps: number): Promise<Samples> {
  const device = inst.device;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const resolve = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16 * reps, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  try {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < reps; i++) {
      const pass = enc.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
      inst.encode(pass, i % inst.sets);
      pass.end();
    }
    enc.resolveQuerySet(querySet, 0, 2 * reps, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * reps);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const ticks = new BigInt64Array(read.getMappedRange().slice(0));
    read.unmap();
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) ms.push(Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
    return { ms, timer: 'timestamp-query' };
  } finally {
    querySet.destroy();
    resolve.destroy();
    read.destroy();
  }
}

async function wallClockSamples(inst: PlanInstance, reps: number): Promise<Samples> {
  const device = inst.device;
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    inst.encode(pass, i % inst.sets);
    pass.end();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    ms.push(performance.now() - t0);
  }
  return { ms, timer: 'cpu-submit' };
}

/** The q-quantile (0..1) of `values`, linearly interpolated. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
