import { buildPlan, type PlanLimits } from '../gpu/plans';
import type { Step, TensorDecl } from '../gpu/plan-types';
import { stepTraffic } from '../gpu/kernel-io';
import { parameterCount } from '../structures/shapes';
import { DTYPE_BYTES, type Problem, type Strategy } from '../structures/types';
import type { DispatchCost, StrategyCost, TensorTraffic } from './types';

/**
 * An adapter whose limits change no plan: every fused kernel fits its workgroup memory and no
 * product is split. Its plans are the strategies as the paper's cost model counts them.
 */
export const IDEAL_ADAPTER: PlanLimits = {
  maxComputeWorkgroupStorageSize: Infinity,
  maxStorageBufferBindingSize: Infinity,
  maxBufferSize: Infinity,
  splitK: false,
};

/**
 * Params, FLOPs and bytes moved by `strategy` on `problem`, dispatch by dispatch: the steps of
 * its plan on `adapter` (by default IDEAL_ADAPTER), each reading every tensor it binds for
 * reading once and writing each of the others once, at the dtype's width (f32 where the plan
 * keeps a tensor in f32). On a real adapter's limits these are the dispatches that run there,
 * split-K's partial sums included. Throws when the problem is invalid or the strategy does not
 * exist for its structure.
 */
export function strategyCost(problem: Problem, strategy: Strategy, adapter: PlanLimits = IDEAL_ADAPTER): StrategyCost {
  const plan = buildPlan(problem, strategy, adapter);
  const elementBytes = DTYPE_BYTES[problem.dtype];
  const dispatches = plan.steps.map((s) => priceStep(s, plan.tensors, elementBytes));
  const flops = dispatches.reduce((sum, d) => sum + d.flops, 0);
  const bytes = dispatches.reduce((sum, d) => sum + d.bytes, 0);
  return {
    problem,
    strategy,
    ...(plan.info.strategy !== strategy ? { ran: plan.info.strategy } : {}),
    params: parameterCount(problem.shape, problem.structure),
    flops,
    bytes,
    intensity: flops / bytes,
    dispatches,
  };
}

function priceStep(step: Step, tensors: Record<string, TensorDecl>, elementBytes: number): DispatchCost {
  const { reads, writes } = stepTraffic(step.kernel, step.bindings);
  const traffic = (name: string, read: boolean): TensorTraffic => {
    const decl = tensors[name];
    const size = decl.elements * (decl.f32 ? 4 : elementBytes);
    return { tensor: name, role: decl.role, bytesRead: read ? size : 0, bytesWritten: read ? 0 : size };
  };
  const moved = [...reads.map((t) => traffic(t, true)), ...writes.map((t) => traffic(t, false))];
  const bytes = moved.reduce((sum, t) => sum + t.bytesRead + t.bytesWritten, 0);
  return { name: step.name, flops: step.flops, tensors: moved, bytes };
}
