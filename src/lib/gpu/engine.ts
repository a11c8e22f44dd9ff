/**
 * The kernel engine: runs any (problem, strategy) on any GPUDevice, the browser worker's or
 * Dawn's in Node, checks it against the f64 reference and times it.
 */
import { compareOutputs, TOLERANCE } from '../structures/compare';
import { randomFactors, randomInput } from '../structures/init';
import { freshSeed } from '../structures/random';
import { referenceForward } from '../structures/reference';
import { forwardFlops } from '../structures/shapes';
import type { Factors, LayerShape, Problem, Strategy, StructureSpec } from '../structures/types';
import { dtypeUnavailable, summariseAdapter } from './device';
import { PlanInstance } from './instance';
import type { MmaTile } from './gemm-plan';
import { PipelineCache } from './pipelines';
import { isRotated, type Plan } from './plan-types';
import { buildPlan, type PlanLimits } from './plans';
import { strategyCost } from '../cost/strategy-cost';
import type { StrategyCost } from '../cost/types';
import { decodeValues, bufferSize, elementBytes, readBuffer } from './tensors';
import { keepBusy, measureRoofline, POINT_WARMUP_MS, type MeasuredCeilings, type RooflineOptions } from './roofline';
import { quantile, timeInstance, timeSteps } from './timing';
import { planTarget } from './matrix';
import type { AdapterSummary, KernelPath, PlanInfo, TimingResult, VerifyResult } from './types';

/**
 * Which units run the products: `path` (by default the adapter's matrix units where it has
 * them for the dtype, else FMA), and for the matrix or emulated path the fragment shape
 * M × N × K (by default the adapter's largest).
 */
export interface PathOptions {
  path?: KernelPath;
  fragment?: [number, number, number];
  /** gemm-mma's tile for every product, where measuring tiles (by default the plan chooses) */
  mmaTile?: MmaTile;
}

export interface Engine {
  summary(): AdapterSummary;
  plan(problem: Problem, strategy: Strategy, opts?: PathOptions): PlanInfo;
  verify(problem: Problem, strategy: Strategy, opts?: { seed?: number } & PathOptions): Promise<VerifyResult>;
  /** `steps`: each dispatch timed alone as well (TimingResult.steps) */
  time(problem: Problem, strategy: Strategy, opts?: { warmup?: number; reps?: number; seed?: number; steps?: boolean } & PathOptions): Promise<TimingResult>;
  /** bytes and FLOPs of the dispatches that plan(problem, strategy, opts) runs on this device */
  cost(problem: Problem, strategy: Strategy, opts?: PathOptions): StrategyCost;
  roofline(opts?: RooflineOptions): Promise<MeasuredCeilings>;
  destroy(): void;
}

/** f64 reference work allowed per verify; larger problems are checked on a sample of rows. */
const REFERENCE_FLOP_BUDGET = 2e9;
/** Bytes of inputs + weights that timing cycles through, so no set stays in the cache. */
const ROTATION_BYTES = 256 * 2 ** 20;
const MAX_SETS = 8;

export async function createEngine(device: GPUDevice, adapter: GPUAdapter): Promise<Engine> {
  const cache = new PipelineCache(device);
  const summary = summariseAdapter(adapter, device);


  /** The limits and matrix units a plan for `problem` gets on this device. */
  function targetFor(problem: Problem, opts: PathOptions): PlanLimits {
    const unavailable = dtypeUnavailable(device, problem.dtype);
    if (unavailable) throw new Error(unavailable);
    return { ...planTarget(summary, problem.dtype, opts), mmaTile: opts.mmaTile };
  }

  function planFor(problem: Problem, strategy: Strategy, opts: PathOptions = {}): Plan {
    return buildPlan(problem, strategy, targetFor(problem, opts));
  }

  // The factors drawn last: a sweep times one layer at many token counts, strategies and
  // dtypes, and the factors depend only on (m, n, structure, seed), not on those.
  let lastFactors: { key: string; factors: Factors } | undefined;
  function factorsFor(shape: LayerShape, structure: StructureSpec, seed: number): Factors {
    const key = JSON.stringify([shape.m, shape.n, structure, seed]);
    if (lastFactors?.key !== key) lastFactors = { key, factors: randomFactors(shape, structure, seed) };
    return lastFactors.factors;
  }

  function inputsFor(plan: Plan, seed: number) {
    const { shape, structure } = plan.info.problem;
    const factors = factorsFor(shape, structure, seed);
    const X = randomInput(shape, seed);
    return { factors, X, data: { X, ...plan.layoutWeights(factors) } };
  }

  return {
    summary: () => summary,
    plan: (problem, strategy, opts) => planFor(problem, strategy, opts).info,

    async verify(problem, strategy, opts = {}) {
      const seed = opts.seed ?? freshSeed();
      const plan = planFor(problem, strategy, opts);
      const { factors, X, data } = inputsFor(plan, seed);
      const inst = await PlanInstance.create(device, cache, plan, data);
      try {
        inst.poison();
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        inst.encode(pass);
        pass.end();
        device.queue.submit([enc.finish()]);
        const decl = plan.tensors.Y;
        const raw = await readBuffer(device, inst.buffers[0].get('Y')!, bufferSize(decl, problem.dtype));
        const Y = decodeValues(raw, decl.elements, elementBytes(decl, problem.dtype));
        const { shape } = problem;
        const rows = rowsToCheck(shape.tokens, forwardFlops({ ...shape, tokens: 1 }, problem.structure));
        const ref = referenceForward(shape, problem.structure, factors, X, rows);
        const acc = compareOutputs(Y, ref, shape.m, rows);
        // Rows outside the sample are still checked for NaN: an unwritten element fails.
        const unwritten = Y.some((v) => !Number.isFinite(v));
        const relErr = unwritten ? Infinity : acc.relErr;
        const tolerance = TOLERANCE[problem.dtype];
        return {
          plan: plan.info,
          seed,
          relErr,
          maxAbsErr: unwritten ? Infinity : acc.maxAbsErr,
          rowsChecked: rows?.length ?? shape.tokens,
          tolerance,
          ok: relErr < tolerance,
        };
      } finally {
        inst.destroy();
      }
    },

    async time(problem, strategy, opts = {}) {
      const plan = planFor(problem, strategy, opts);
      const { data } = inputsFor(plan, opts.seed ?? 1);
      const rotatedBytes = Object.entries(plan.tensors)
        .filter(([, t]) => isRotated(t))
        .reduce((sum, [, t]) => sum + bufferSize(t, problem.dtype), 0);
      const sets = Math.max(2, Math.min(MAX_SETS, Math.ceil(ROTATION_BYTES / rotatedBytes)));
      const inst = await PlanInstance.create(device, cache, plan, data, sets);
      try {
        // Preparing inputs leaves the GPU idle long enough for its clocks to drop.
        if (!summary.isFallbackAdapter) await keepBusy(device, cache, POINT_WARMUP_MS);
        const reps = opts.reps ?? 30;
        const samples = await timeInstance(inst, { warmup: opts.warmup ?? 5, reps });
        const steps = opts.steps ? await timeSteps(inst, reps) : null;
        return {
          plan: plan.info,
          medianMs: quantile(samples.ms, 0.5),
          p10Ms: quantile(samples.ms, 0.1),
          p90Ms: quantile(samples.ms, 0.9),
          samples: samples.ms.length,
          timer: samples.timer,
          resolutionMs: samples.resolutionMs,
          runsPerSample: samples.runsPerSample,
          ...(steps ? { steps: steps.map((s, i) => ({ name: plan.steps[i].name, medianMs: quantile(s.ms, 0.5), runsPerSample: s.runsPerSample })) } : {}),
        };
      } finally {
        inst.destroy();
      }
    },

    cost: (problem, strategy, opts = {}) => strategyCost(problem, strategy, targetFor(problem, opts)),

    roofline: (opts) => measureRoofline(device, opts, cache),

    destroy() {
      device.destroy();
    },
  };
}

/**
 * Token rows to compare: all of them when the f64 reference is cheap, else the first, the last
 * (the ragged tail tile) and evenly spaced rows between, within the reference budget.
 */
export function rowsToCheck(tokens: number, flopsPerRow: number): number[] | undefined {
  const budget = Math.max(4, Math.floor(REFERENCE_FLOP_BUDGET / flopsPerRow));
  if (tokens <= budget) return undefined;
  const rows = new Set<number>([0, tokens - 1]);
  for (let i = 1; rows.size < budget; i++) rows.add(Math.floor((i * tokens) / budget) % tokens);
  return [...rows].sort((a, b) => a - b);
}
