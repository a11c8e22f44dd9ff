/**
 * Times a layer: warm-up first, then `reps` runs, each its own compute pass bracketed by GPU
 * timestamps where the device has 'timestamp-query' (else wall clock around submit and
 * completion), cycling through the instance's input/weight sets so caches do not flatter; and,
 * on request, each of its dispatches alone (timeSteps).
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
  const ms = await timedPasses(inst.device, reps, (pass, i) => inst.encode(pass, i % inst.sets));
  return { ms, timer: 'timestamp-query' };
}

/**
 * Each dispatch of the layer in its own timestamped compute pass, `reps` times over, after the
 * warm-up of timeInstance: per dispatch, its samples in ms. Null without 'timestamp-query',
 * where a wall clock around each dispatch would time the submission rather than the kernel.
 * Pass boundaries add to each dispatch, so the dispatches' times add up to a little more than
 * the whole layer's.
 */
export async function timeSteps(inst: PlanInstance, reps: number): Promise<number[][] | null> {
  if (!inst.device.features.has('timestamp-query')) return null;
  const steps = inst.plan.steps.length;
  // pass rep · steps + step runs dispatch `step` on input set rep
  const ms = await timedPasses(inst.device, reps * steps, (pass, p) => inst.encodeStep(pass, p % steps, Math.floor(p / steps) % inst.sets));
  return inst.plan.steps.map((_, step) => Array.from({ length: reps }, (_, rep) => ms[rep * steps + step]));
}

/** WebGPU's largest query set: two timestamps a pass, so at most this many passes a set. */
const MAX_PASSES_PER_QUERY_SET = 2048;

/**
 * Runs `passes` compute passes, each recorded by `record` and bracketed by GPU timestamps, in
 * submissions of at most one query set's worth: each one's ms.
 */
async function timedPasses(device: GPUDevice, passes: number, record: (pass: GPUComputePassEncoder, i: number) => void): Promise<number[]> {
  const ms: number[] = [];
  for (let first = 0; first < passes; first += MAX_PASSES_PER_QUERY_SET) {
    const count = Math.min(MAX_PASSES_PER_QUERY_SET, passes - first);
    const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * count });
    const resolve = device.createBuffer({ size: 16 * count, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const read = device.createBuffer({ size: 16 * count, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    try {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < count; i++) {
        const pass = enc.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
        record(pass, first + i);
        pass.end();
      }
      enc.resolveQuerySet(querySet, 0, 2 * count, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * count);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const ticks = new BigInt64Array(read.getMappedRange().slice(0));
      read.unmap();
      for (let i = 0; i < count; i++) ms.push(Number(ticks[2 * i + 1] - ticks[2 * i]) / 1e6);
    } finally {
      querySet.destroy();
      resolve.destroy();
      read.destroy();
    }
  }
  return ms;
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
