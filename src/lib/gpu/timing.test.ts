import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanInstance } from './instance';
import { CannotTimeError, describeSampling, formatStep, MIN_BATCH_MS, MIN_STEPS_PER_SAMPLE, quantile, runsPerSample, timeInstance, timeSteps, type TimerKind } from './timing';

/**
 * A device that runs nothing but keeps time: one clock (ns) that its queue advances by what each
 * recorded dispatch "takes", plus gaps between passes and submissions that vary, as a GPU's do,
 * so that batches start at every phase of a coarse clock. Its GPU timestamps and its
 * performance.now() read that clock rounded down to `stepNs` (0: they read 0, always).
 */
interface FakeOptions {
  /** 'timestamp-query' gives the device GPU timestamps; 'cpu-submit' leaves it without */
  timer: TimerKind;
  stepNs: number;
  /** the wall clock's round trip around a submission */
  roundTripNs?: number;
}

interface FakePass {
  work: number[];
  sets: number[];
  writes?: { querySet: FakeQuerySet; beginningOfPassWriteIndex: number; endOfPassWriteIndex: number };
}
interface FakeQuerySet {
  ticks: bigint[];
  destroy(): void;
}
interface FakeBuffer {
  data?: BigInt64Array;
  mapAsync(): Promise<void>;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

function fakeDevice(opts: FakeOptions) {
  let clockNs = 1_234_567; // not at a step boundary
  let seed = 12345;
  const jitterNs = (max: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31) * max;
  };
  const read = () => (opts.stepNs === 0 ? 0 : Math.floor(clockNs / opts.stepNs) * opts.stepNs);
  const querySetSizes: number[] = [];
  let passes = 0;

  const encoder = () => {
    const ops: (() => void)[] = [];
    return {
      beginComputePass(desc?: { timestampWrites?: FakePass['writes'] }) {
        const pass: FakePass = { work: [], sets: [], writes: desc?.timestampWrites };
        ops.push(() => {
          passes++;
          if (pass.writes) pass.writes.querySet.ticks[pass.writes.beginningOfPassWriteIndex] = BigInt(read());
          for (const ns of pass.work) clockNs += ns;
          if (pass.writes) pass.writes.querySet.ticks[pass.writes.endOfPassWriteIndex] = BigInt(read());
          clockNs += 300 + jitterNs(3000);
        });
        return { ...pass, end() {}, __pass: pass };
      },
      resolveQuerySet(querySet: FakeQuerySet, first: number, count: number, dst: FakeBuffer) {
        ops.push(() => (dst.data = BigInt64Array.from(querySet.ticks.slice(first, first + count))));
      },
      copyBufferToBuffer(src: FakeBuffer, _srcOffset: number, dst: FakeBuffer) {
        ops.push(() => (dst.data = src.data));
      },
      finish: () => ({ ops }),
    };
  };

  const device = {
    features: new Set(opts.timer === 'timestamp-query' ? ['timestamp-query'] : []),
    createQuerySet: ({ count }: { count: number }): FakeQuerySet => {
      if (count > 4096) throw new Error(`a query set of ${count}: WebGPU allows 4096`);
      querySetSizes.push(count);
      return { ticks: new Array<bigint>(count).fill(0n), destroy() {} };
    },
    createBuffer: (): FakeBuffer => {
      const buffer: FakeBuffer = {
        mapAsync: async () => {},
        getMappedRange: () => buffer.data!.buffer as ArrayBuffer,
        unmap() {},
        destroy() {},
      };
      return buffer;
    },
    createCommandEncoder: encoder,
    queue: {
      submit(commands: { ops: (() => void)[] }[]) {
        clockNs += (opts.roundTripNs ?? 0) / 2 + 50 * US + jitterNs(500 * US);
        for (const c of commands) for (const op of c.ops) op();
      },
      async onSubmittedWorkDone() {
        clockNs += (opts.roundTripNs ?? 0) / 2;
      },
    },
  };
  vi.spyOn(performance, 'now').mockImplementation(() => read() / 1e6);
  return { device, querySetSizes, passCount: () => passes };
}

/** A layer whose dispatches "take" `stepNs[i]` ns each, plus `perSetNs` ns for each input set's number. */
function fakeInstance(device: unknown, stepNs: number[], sets = 2, perSetNs = 0) {
  const record = (p: { __pass: FakePass }, step: number, set: number) => {
    p.__pass.work.push(stepNs[step] + set * perSetNs);
    p.__pass.sets.push(set);
  };
  return {
    device,
    sets,
    plan: { steps: stepNs.map((_, i) => ({ name: `step ${i}` })) },
    encode(pass: { __pass: FakePass }, set: number) {
      stepNs.forEach((_, step) => record(pass, step, set));
    },
    encodeStep(pass: { __pass: FakePass }, step: number, set: number) {
      record(pass, step, set);
    },
  } as unknown as PlanInstance;
}

beforeEach(() => {
  vi.stubGlobal('GPUBufferUsage', { QUERY_RESOLVE: 1, COPY_SRC: 2, COPY_DST: 4, MAP_READ: 8 });
  vi.stubGlobal('GPUMapMode', { READ: 1 });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const US = 1e3;
const MS = 1e6;
/** From 5 µs to 5 ms, away from the round multiples of the clocks' steps. */
const KERNEL_NS = [5 * US, 23 * US, 170 * US, 1.3 * MS, 5 * MS];

/** The fake's longest wall-clock round trip around a submission. */
const ROUND_TRIP_NS = 30 * US;
const LONGEST_ROUND_TRIP_NS = ROUND_TRIP_NS + 550 * US;

/**
 * K meets the rule: a batch spans ≥ 50 steps, and ≥ 2 ms where batched or on the wall clock;
 * and K is not wasteful: at most twice the fewest runs that meet it (on the wall clock, where
 * a batch also spans 50 round trips, at most twice those of the longest round trip).
 */
function expectRule(k: number, runNs: number, stepNs: number, timer: TimerKind) {
  const span = k * runNs;
  expect(span).toBeGreaterThanOrEqual(MIN_STEPS_PER_SAMPLE * stepNs * 0.98);
  if (k > 1 || timer === 'cpu-submit') expect(span).toBeGreaterThanOrEqual(MIN_BATCH_MS * MS * 0.98);
  const fewest =
    timer === 'timestamp-query' && runNs >= MIN_STEPS_PER_SAMPLE * stepNs
      ? 1
      : Math.ceil(Math.max(MIN_STEPS_PER_SAMPLE * stepNs, MIN_BATCH_MS * MS, timer === 'cpu-submit' ? MIN_STEPS_PER_SAMPLE * LONGEST_ROUND_TRIP_NS : 0) / runNs);
  expect(k).toBeLessThanOrEqual(2 * fewest + 1);
}

describe('timeInstance on a coarse clock', () => {
  const cases = (['timestamp-query', 'cpu-submit'] as const).flatMap((timer) =>
    [100 * US, 65.5 * US].flatMap((stepNs) => KERNEL_NS.map((kernelNs) => [timer, stepNs, kernelNs] as const)),
  );

  it.each(cases)('%s in %d ns steps, a kernel of %d ns: median within 5 %, K by the rule, the step found', async (timer, stepNs, kernelNs) => {
    const { device } = fakeDevice({ timer, stepNs, roundTripNs: ROUND_TRIP_NS });
    const s = await timeInstance(fakeInstance(device, [kernelNs]), { warmup: 2, reps: 30 });
    expect(s.timer).toBe(timer);
    expect(s.ms).toHaveLength(30);
    expect(Math.abs(quantile(s.ms, 0.5) * MS - kernelNs) / kernelNs).toBeLessThan(0.05);
    expect(s.resolutionMs * MS).toBeCloseTo(stepNs, 6);
    expectRule(s.runsPerSample, kernelNs, stepNs, timer);
  });

  it('keeps one run a sample where GPU timestamps resolve it', async () => {
    const { device } = fakeDevice({ timer: 'timestamp-query', stepNs: 1 });
    const s = await timeInstance(fakeInstance(device, [5 * US]), { warmup: 0, reps: 20 });
    expect(s.runsPerSample).toBe(1);
    expect(s.resolutionMs).toBe(1e-6);
    expect(quantile(s.ms, 0.5)).toBeCloseTo(0.005, 9);
  });

  it('batches a layer of several dispatches whole, and its median is the sum of theirs', async () => {
    const { device } = fakeDevice({ timer: 'timestamp-query', stepNs: 100 * US });
    const s = await timeInstance(fakeInstance(device, [7 * US, 3 * US, 11 * US]), { warmup: 0, reps: 30 });
    expect(Math.abs(quantile(s.ms, 0.5) * MS - 21 * US) / (21 * US)).toBeLessThan(0.05);
    expectRule(s.runsPerSample, 21 * US, 100 * US, 'timestamp-query');
  });

  it('rotates the input sets run by run, inside and across batches', async () => {
    const { device } = fakeDevice({ timer: 'timestamp-query', stepNs: 100 * US });
    const inst = fakeInstance(device, [10 * US], 3);
    const seen: number[] = [];
    const encode = inst.encode.bind(inst);
    inst.encode = (pass, set = 0) => {
      seen.push(set);
      encode(pass, set);
    };
    await timeInstance(inst, { warmup: 0, reps: 30 });
    // each measurement counts its runs from set 0 on: 0, 1, 2, 0, 1, …
    expect(seen.length).toBeGreaterThan(30);
    expect(new Set(seen)).toEqual(new Set([0, 1, 2]));
    for (let i = 1; i < seen.length; i++) expect([(seen[i - 1] + 1) % 3, 0]).toContain(seen[i]);
  });
});

describe('a clock that never moves', () => {
  it.each(['timestamp-query', 'cpu-submit'] as const)('%s reading only zeros: "cannot time", never 0 ms', async (timer) => {
    const { device } = fakeDevice({ timer, stepNs: 0 });
    const timing = timeInstance(fakeInstance(device, [5 * US]), { warmup: 0, reps: 10 });
    await expect(timing).rejects.toBeInstanceOf(CannotTimeError);
    await expect(timing).rejects.toThrow(/^cannot time on this device: .* read the same before and after every batch, even of 65536 runs$/);
  });
});

describe('timeSteps', () => {
  it('times each dispatch alone in batches of its own K', async () => {
    const { device } = fakeDevice({ timer: 'timestamp-query', stepNs: 100 * US });
    const kernels = [5 * US, 2.1 * MS, 40 * US];
    const steps = await timeSteps(fakeInstance(device, kernels), 30);
    expect(steps).toHaveLength(3);
    for (const [i, s] of steps.entries()) {
      expect(s.ms).toHaveLength(30);
      expect(Math.abs(quantile(s.ms, 0.5) * MS - kernels[i]) / kernels[i]).toBeLessThan(0.05);
      expectRule(s.runsPerSample, kernels[i], 100 * US, 'timestamp-query');
    }
    expect(steps[0].runsPerSample).toBeGreaterThan(steps[2].runsPerSample);
  });

  it('on the wall clock too', async () => {
    const { device } = fakeDevice({ timer: 'cpu-submit', stepNs: 100 * US, roundTripNs: ROUND_TRIP_NS });
    const steps = await timeSteps(fakeInstance(device, [9 * US, 300 * US]), 20);
    expect(steps.map((s) => s.timer)).toEqual(['cpu-submit', 'cpu-submit']);
    for (const [i, ns] of [9 * US, 300 * US].entries()) expect(Math.abs(quantile(steps[i].ms, 0.5) * MS - ns) / ns).toBeLessThan(0.05);
  });

  it('gives each dispatch its own per-run samples on a fine clock, cycling the input sets, over several query sets', async () => {
    const { device, querySetSizes } = fakeDevice({ timer: 'timestamp-query', stepNs: 1 });
    // dispatch i takes i + 1 ms, plus 1 µs on input set 1
    const steps = await timeSteps(fakeInstance(device, [1 * MS, 2 * MS, 3 * MS], 2, 1 * US), 1500);
    // each dispatch's calibration (3 submissions of one batch), then 4500 batches: three query sets of at most 2048 passes
    expect(querySetSizes).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 4096, 4096, 808]);
    expect(steps.map((s) => s.runsPerSample)).toEqual([1, 1, 1]);
    for (const [step, s] of steps.entries()) {
      expect(s.ms).toHaveLength(1500);
      for (const [rep, t] of s.ms.entries()) expect(t).toBeCloseTo(step + 1 + (rep % 2) / 1000, 9);
    }
  });
});

describe('runsPerSample', () => {
  it('is 1 where one run spans 50 steps of GPU timestamps', () => {
    expect(runsPerSample(0.005, 1e-6, 'timestamp-query')).toBe(1);
    expect(runsPerSample(5, 0.1, 'timestamp-query')).toBe(1);
  });
  it('batches to 50 steps and at least 2 ms where it does not', () => {
    expect(runsPerSample(0.005, 0.1, 'timestamp-query')).toBe(1000); // 5 ms = 50 × 100 µs
    expect(runsPerSample(0.01, 0.001, 'timestamp-query')).toBe(200); // 2 ms > 50 × 1 µs
    expect(runsPerSample(4.9, 0.1, 'timestamp-query')).toBe(2);
  });
  it('on the wall clock always spans 2 ms, and 50 round trips', () => {
    expect(runsPerSample(0.005, 1e-6, 'cpu-submit')).toBe(400);
    expect(runsPerSample(3, 1e-6, 'cpu-submit')).toBe(1);
    expect(runsPerSample(0.005, 1e-6, 'cpu-submit', 0.2)).toBe(2000); // 10 ms = 50 × 200 µs
    expect(runsPerSample(0.005, 1e-6, 'timestamp-query', 0.2)).toBe(1);
  });
});

describe('words', () => {
  it('names steps and batches', () => {
    expect(formatStep(0.065536)).toBe('65.5 µs');
    expect(formatStep(0.1)).toBe('100 µs');
    expect(formatStep(1e-6)).toBe('1 ns');
    expect(formatStep(1.5)).toBe('1.5 ms');
    expect(describeSampling({ resolutionMs: 0.1, runsPerSample: 64 })).toBe('100 µs steps, 64 runs a sample');
    expect(describeSampling({ resolutionMs: 1e-6, runsPerSample: 1 })).toBe('1 ns steps, 1 run a sample');
  });
});
