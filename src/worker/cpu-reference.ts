/** Times the f64 CPU reference: what the timing view runs where there is no WebGPU. */
import { quantile } from '../lib/gpu/timing';
import { randomFactors, randomInput } from '../lib/structures/init';
import { referenceForward } from '../lib/structures/reference';
import { forwardFlops } from '../lib/structures/shapes';
import { assertValid } from '../lib/structures/validate';
import type { Problem } from '../lib/structures/types';
import type { PointTiming } from './protocol';

/** Largest layer the CPU reference times: a few hundred ms per run in a browser. */
export const CPU_FLOP_LIMIT = 1e8;
/** Runs stop once this much time is spent, after at least MIN_RUNS. */
const TIME_BUDGET_MS = 400;
const MIN_RUNS = 3;
const MAX_RUNS = 15;

/** Why `problem` is too large for the CPU reference, or null when it is not. */
export function cpuTooLarge(problem: Problem): string | null {
  const flops = forwardFlops(problem.shape, problem.structure);
  if (flops <= CPU_FLOP_LIMIT) return null;
  return `${(flops / 1e9).toFixed(2)} GFLOP is too large for the CPU reference (limit ${CPU_FLOP_LIMIT / 1e9} GFLOP); fewer tokens or a smaller layer run without WebGPU`;
}

export function timeCpuReference(problem: Problem, seed: number, now: () => number = () => performance.now()): PointTiming {
  assertValid(problem);
  const tooLarge = cpuTooLarge(problem);
  if (tooLarge) throw new Error(tooLarge);
  const { shape, structure } = problem;
  const factors = randomFactors(shape, structure, seed);
  const X = randomInput(shape, seed);
  referenceForward(shape, structure, factors, X);
  const ms: number[] = [];
  const start = now();
  while (ms.length < MIN_RUNS || (ms.length < MAX_RUNS && now() - start < TIME_BUDGET_MS)) {
    const t0 = now();
    referenceForward(shape, structure, factors, X);
    ms.push(now() - t0);
  }
  return { backend: 'cpu-reference', medianMs: quantile(ms, 0.5), p10Ms: quantile(ms, 0.1), p90Ms: quantile(ms, 0.9), samples: ms.length, timer: 'cpu-clock' };
}
