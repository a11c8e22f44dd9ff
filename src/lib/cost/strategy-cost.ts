import { parameterCount } from '../structures/shapes';
import { DTYPE_BYTES, STRATEGIES, type Problem, type Strategy } from '../structures/types';
import { assertValid } from '../structures/validate';
import { strategyPlan, type DispatchPlan, type TensorTable } from './dispatches';
import type { DispatchCost, StrategyCost, TensorTraffic } from './types';

/**
 * Params, FLOPs and bytes moved by `strategy` on `problem`, dispatch by dispatch: each dispatch
 * reads every tensor it uses once and writes each output once, at the dtype's width.
 * Throws when the problem is invalid or the strategy does not exist for its structure.
 */
export function strategyCost(problem: Problem, strategy: Strategy): StrategyCost {
  assertValid(problem);
  const kind = problem.structure.kind;
  const allowed = STRATEGIES[kind];
  if (!allowed.includes(strategy)) {
    throw new Error(`strategy '${strategy}' does not exist for ${kind}; use one of ${allowed.join(', ')}`);
  }
  const { tensors, dispatches: plans } = strategyPlan(problem, strategy);
  const dispatches = plans.map((d) => priceDispatch(d, tensors, DTYPE_BYTES[problem.dtype]));
  const flops = dispatches.reduce((sum, d) => sum + d.flops, 0);
  const bytes = dispatches.reduce((sum, d) => sum + d.bytes, 0);
  return {
    problem,
    strategy,
    params: parameterCount(problem.shape, problem.structure),
    flops,
    bytes,
    intensity: flops / bytes,
    dispatches,
  };
}

function priceDispatch(d: DispatchPlan, tensors: TensorTable, elementBytes: number): DispatchCost {
  const traffic = (name: string, read: boolean): TensorTraffic => {
    const size = tensors[name].elements * elementBytes;
    return { tensor: name, role: tensors[name].role, bytesRead: read ? size : 0, bytesWritten: read ? 0 : size };
  };
  const moved = [...d.reads.map((t) => traffic(t, true)), ...d.writes.map((t) => traffic(t, false))];
  const bytes = moved.reduce((sum, t) => sum + t.bytesRead + t.bytesWritten, 0);
  return { name: d.name, flops: d.flops, tensors: moved, bytes };
}
