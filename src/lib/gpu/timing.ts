/**
 * Times a layer, the same way for `blr bench` (Dawn in Node) and the page's worker, on whichever
 * clock the device has: GPU timestamps around a compute pass where it has 'timestamp-query',
 * else the wall clock around submit and completion.
 *
 * A sample is a batch: K runs back to back between one pair of clock readings, cycling through
 * the instance's input/weight sets so caches do not flatter, its time divided by K. A stock
 * browser rounds GPU timestamps to 100 µs (Dawn, unless told otherwise, to 65.5 µs), longer than
 * most of these kernels take, so K is chosen per layer from a first measurement: a batch spans
 * at least 50 of the clock's steps, keeping the rounding under 2 % of it, and a batch of more
 * than one run at least 2 ms. Where one run already spans 50 steps of GPU timestamps, K = 1 and
 * each sample is one run. On the wall clock, whose readings also hold a submission's round
 * trip, a batch spans 50 of those too. The clock's step is read off its readings: the largest
 * step they are all whole multiples of. The median and p10/p90 are across batches; a clock
 * that never moves gives CannotTimeError, never 0 ms.
 *
 * timeSteps times each dispatch of the layer alone the same way.
 */
import { gcd } from '../math';
import type { PlanInstance } from './instance';

export type TimerKind = 'timestamp-query' | 'cpu-submit';

export interface TimingOptions {
  warmup: number;
  /** batches to time: the samples */
  reps: number;
}

export interface Samples {
  /** one a batch: its time divided by its runs, ms */
  ms: number[];
  timer: TimerKind;
  /** the clock's step, read off its readings, ms */
  resolutionMs: number;
  /** runs timed back to back between one pair of clock readings (K) */
  runsPerSample: number;
}

/** The clock cannot time this work: its readings never moved. */
export class CannotTimeError extends Error {
  override name = 'CannotTimeError';
}

/** A batch spans at least this many clock steps, so that rounding stays under 2 % of it. */
export const MIN_STEPS_PER_SAMPLE = 50;
/** A batch of more than one run, and any batch on the wall clock, spans at least this long. */
export const MIN_BATCH_MS = 2;
/** Where even this many runs a batch leave the clock still, it cannot time them. */
export const MAX_RUNS_PER_SAMPLE = 65_536;
/** Batches in each calibrating measurement. */
const PROBE_BATCHES = 3;
/** Calibrating measurements before K is taken as it stands. */
const MAX_PROBES = 12;
/** A calibrating measurement this long (wall clock) whose clock did not move: the clock is broken. */
const MAX_STILL_PROBE_MS = 2000;

/**
 * K, the runs a sample, for a run of `runMs` on a clock of `resolutionMs` steps: 1 where one run
 * spans MIN_STEPS_PER_SAMPLE steps of GPU timestamps; else enough for a batch of that many steps
 * and at least MIN_BATCH_MS. A wall-clock reading also holds a submission's round trip
 * (`roundTripMs`) besides the runs, so a wall-clock batch always reaches MIN_BATCH_MS and spans
 * MIN_STEPS_PER_SAMPLE round trips too, which keeps that one under 2 % of it.
 */
export function runsPerSample(runMs: number, resolutionMs: number, timer: TimerKind, roundTripMs = 0): number {
  if (timer === 'timestamp-query' && runMs >= MIN_STEPS_PER_SAMPLE * resolutionMs) return 1;
  const spanMs = Math.max(MIN_STEPS_PER_SAMPLE * Math.max(resolutionMs, timer === 'cpu-submit' ? roundTripMs : 0), MIN_BATCH_MS);
  return Math.min(MAX_RUNS_PER_SAMPLE, Math.max(1, Math.ceil(spanMs / runMs)));
}

/** Records run `run` (counted from 0 across a measurement's batches) into a compute pass. */
type RunRecorder = (pass: GPUComputePassEncoder, run: number) => void;
/** Records batch `batch` (counted from 0 within one measurement) into its compute pass. */
type BatchRecorder = (pass: GPUComputePassEncoder, batch: number) => void;

/** Each batch's clock readings before and after it, ns after the clock's first reading. */
interface Readings {
  begin: number[];
  end: number[];
}

interface Clock {
  kind: TimerKind;
  /** `batches` compute passes, each recorded by `record`, each between two readings. */
  read(batches: number, record: BatchRecorder): Promise<Readings>;
  /** what a reading adds to the work it brackets, ns: a wall clock's round trip */
  overheadNs(): Promise<number>;
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
  const clock = clockOf(device);
  const run: RunRecorder = (pass, i) => inst.encode(pass, i % inst.sets);
  const { runs, stepNs } = await chooseRuns(clock, run);
  const readings = await clock.read(opts.reps, batchOf(runs, run));
  return samplesOf(clock.kind, spansOf(readings), runs, gcd(stepNs, stepOf(readings)), 'the layer');
}

/**
 * Each dispatch of the layer alone, `reps` batches of its own K each, after the warm-up of
 * timeInstance: per dispatch, its samples. The batches take turns, dispatch by dispatch, so
 * each reads the intermediates the one before it just wrote, as in the layer. Pass boundaries
 * add to each dispatch's batch, so the dispatches' times add up to a little more than the
 * whole layer's where K is 1.
 */
export async function timeSteps(inst: PlanInstance, reps: number): Promise<Samples[]> {
  const clock = clockOf(inst.device);
  const steps = inst.plan.steps.length;
  const chosen: { runs: number; stepNs: number }[] = [];
  for (let step = 0; step < steps; step++) {
    chosen.push(await chooseRuns(clock, (pass, i) => inst.encodeStep(pass, step, i % inst.sets)));
  }
  // batch rep · steps + step holds dispatch `step`, its K times, on input sets from rep · K on
  const readings = await clock.read(reps * steps, (pass, batch) => {
    const step = batch % steps;
    const { runs } = chosen[step];
    const first = Math.floor(batch / steps) * runs;
    for (let j = 0; j < runs; j++) inst.encodeStep(pass, step, (first + j) % inst.sets);
  });
  const stepNs = chosen.reduce((g, c) => gcd(g, c.stepNs), stepOf(readings));
  const spans = spansOf(readings);
  return chosen.map(({ runs }, step) => {
    const own = spans.filter((_, batch) => batch % steps === step);
    return samplesOf(clock.kind, own, runs, stepNs, `dispatch ${inst.plan.steps[step].name}`);
  });
}

function clockOf(device: GPUDevice): Clock {
  return device.features.has('timestamp-query') ? timestampClock(device) : wallClock(device);
}

/** `run` `runs` times a batch, batch b holding runs b · runs to (b + 1) · runs − 1. */
function batchOf(runs: number, run: RunRecorder): BatchRecorder {
  return (pass, batch) => {
    for (let j = 0; j < runs; j++) run(pass, batch * runs + j);
  };
}

/**
 * K from measurements: from K = 1, a few batches are timed and K set by runsPerSample from
 * their median, until K is what their median asks for. Few readings can all be multiples of
 * more than the clock's step, so the step found may shrink from one measurement to the next,
 * and K with it. While the clock does not move, K grows 16-fold; if it still does not at
 * MAX_RUNS_PER_SAMPLE, or after seconds of work, it cannot time.
 */
async function chooseRuns(clock: Clock, run: RunRecorder): Promise<{ runs: number; stepNs: number }> {
  let runs = 1;
  let stepNs = 0;
  const overheadMs = (await clock.overheadNs()) / 1e6;
  for (let probe = 1; ; probe++) {
    const started = performance.now();
    // One submission a batch: each starts at a new phase of a coarse clock, so that their
    // readings are not all multiples of more than its step.
    const readings: Readings = { begin: [], end: [] };
    for (let i = 0; i < PROBE_BATCHES; i++) {
      const r = await clock.read(1, (pass) => batchOf(runs, run)(pass, i));
      readings.begin.push(...r.begin);
      readings.end.push(...r.end);
    }
    const wallMs = performance.now() - started;
    stepNs = gcd(stepNs, stepOf(readings));
    const spanNs = quantile(spansOf(readings), 0.5);
    if (stepNs > 0 && spanNs > 0) {
      const wanted = runsPerSample(spanNs / runs / 1e6, stepNs / 1e6, clock.kind, overheadMs);
      // A little over what this measurement asks, so that the next one, rounded the other way, meets it too.
      const generous = wanted === 1 ? 1 : Math.min(MAX_RUNS_PER_SAMPLE, Math.ceil(wanted * 1.1));
      if ((runs >= wanted && runs <= generous + 1) || probe >= MAX_PROBES) return { runs, stepNs };
      runs = generous;
    } else {
      if (runs === MAX_RUNS_PER_SAMPLE || wallMs > MAX_STILL_PROBE_MS) throw stillClock(clock.kind, runs);
      runs = Math.min(MAX_RUNS_PER_SAMPLE, runs * 16);
    }
  }
}

function stillClock(timer: TimerKind, runs: number): CannotTimeError {
  const clock = timer === 'timestamp-query' ? "the GPU's timestamps" : 'the wall clock';
  return new CannotTimeError(`cannot time on this device: ${clock} read the same before and after every batch, even of ${runs} runs`);
}

function samplesOf(timer: TimerKind, spansNs: number[], runs: number, stepNs: number, what: string): Samples {
  const ms = spansNs.map((ns) => ns / runs / 1e6);
  if (!(quantile(ms, 0.5) > 0)) throw new CannotTimeError(`cannot time ${what} on this device: most of its batches of ${runs} runs read 0 ms`);
  return { ms, timer, resolutionMs: stepNs / 1e6, runsPerSample: runs };
}

function spansOf(r: Readings): number[] {
  return r.begin.map((b, i) => r.end[i] - b);
}

/** The largest step (ns) all readings are whole multiples of; 0 when none moved. */
function stepOf(r: Readings): number {
  let step = 0;
  for (const t of r.begin) step = gcd(step, t);
  for (const t of r.end) step = gcd(step, t);
  return step;
}

/** WebGPU's largest query set: two timestamps a pass, so at most this many passes a set. */
const MAX_PASSES_PER_QUERY_SET = 2048;

/** GPU timestamps at the start and end of each batch's pass, in submissions of one query set each. */
function timestampClock(device: GPUDevice): Clock {
  let origin: bigint | undefined;
  return {
    kind: 'timestamp-query',
    async read(batches, record) {
      const readings: Readings = { begin: [], end: [] };
      for (let first = 0; first < batches; first += MAX_PASSES_PER_QUERY_SET) {
        const count = Math.min(MAX_PASSES_PER_QUERY_SET, batches - first);
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
          origin ??= ticks[0];
          for (let i = 0; i < count; i++) {
            readings.begin.push(Number(ticks[2 * i] - origin));
            readings.end.push(Number(ticks[2 * i + 1] - origin));
          }
        } finally {
          querySet.destroy();
          resolve.destroy();
          read.destroy();
        }
      }
      return readings;
    },
    overheadNs: async () => 0,
  };
}

/** Empty submissions timed to find the wall clock's round trip. */
const ROUND_TRIPS = 5;

/** performance.now() before each batch's submission and after its completion. */
function wallClock(device: GPUDevice): Clock {
  let origin: number | undefined;
  return {
    kind: 'cpu-submit',
    async read(batches, record) {
      const readings: Readings = { begin: [], end: [] };
      for (let batch = 0; batch < batches; batch++) {
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        record(pass, batch);
        pass.end();
        const commands = enc.finish();
        const t0 = performance.now();
        device.queue.submit([commands]);
        await device.queue.onSubmittedWorkDone();
        const t1 = performance.now();
        origin ??= t0;
        // ns, rounded: a clock in 100 µs steps reads e.g. 0.30000000000001 ms apart
        readings.begin.push(Math.round((t0 - origin) * 1e6));
        readings.end.push(Math.round((t1 - origin) * 1e6));
      }
      return readings;
    },
    async overheadNs() {
      const ms: number[] = [];
      for (let i = 0; i < ROUND_TRIPS; i++) {
        const t0 = performance.now();
        device.queue.submit([]);
        await device.queue.onSubmittedWorkDone();
        ms.push(performance.now() - t0);
      }
      return quantile(ms, 0.5) * 1e6;
    },
  };
}

/** The q-quantile (0..1) of `values`, linearly interpolated. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** A clock step in words: '1 ns', '65.5 µs', '100 µs', '1.5 ms'. */
export function formatStep(ms: number): string {
  const [value, unit] = ms >= 1 ? [ms, 'ms'] : ms >= 1e-3 ? [ms * 1e3, 'µs'] : [ms * 1e6, 'ns'];
  return `${Number(value.toPrecision(3))} ${unit}`;
}

/** How a timing's samples were made, e.g. '100 µs steps, 64 runs a sample'. */
export function describeSampling(t: { resolutionMs: number; runsPerSample: number }): string {
  return `${formatStep(t.resolutionMs)} steps, ${t.runsPerSample} run${t.runsPerSample === 1 ? '' : 's'} a sample`;
}
