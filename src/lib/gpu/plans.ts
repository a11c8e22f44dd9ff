/**
 * (structure, strategy, dtype) → dispatch plan. The runtime, the CLI, the cost model and the UI
 * all ask this one place how a layer runs; each strategy's builder is its structure's
 * (src/lib/structures/kinds/), on the shared PlanBuilder (plan-builder.ts).
 */
import { strategyOf, STRATEGIES } from '../structures/kinds';
import type { Problem, Strategy } from '../structures/types';
import { assertValid, formatBytes, largestBinding } from '../structures/validate';
import type { PlanLimits } from './plan-builder';
import type { Plan } from './plan-types';
import type { PlanInfo } from './types';

export type { PlanLimits } from './plan-builder';

/**
 * The plan for (problem, strategy) on an adapter with `limits`. Throws with every reason when
 * the problem is invalid or the strategy unknown for the structure; falls back (and says why)
 * when a strategy does not fit the adapter.
 */
export function buildPlan(problem: Problem, requested: Strategy, limits: PlanLimits): Plan {
  assertValid(problem, limits);
  const kind = problem.structure.kind;
  if (!STRATEGIES[kind].includes(requested)) {
    throw new Error(`strategy '${requested}' does not exist for ${kind}; choose one of ${STRATEGIES[kind].join(', ')}`);
  }
  let strategy = requested;
  const reasons: string[] = [];
  for (;;) {
    const def = strategyOf(kind, strategy)!;
    const built = def.plan(problem, limits);
    if (!('unfit' in built)) {
      const elementBytes = problem.dtype === 'f16' ? 2 : 4;
      const cap = largestBinding(limits);
      for (const [name, t] of Object.entries(built.tensors)) {
        const bytes = t.elements * (t.f32 ? 4 : elementBytes);
        if (bytes > cap) throw new Error(`tensor ${name} needs ${formatBytes(bytes)}, over this adapter's largest storage binding of ${formatBytes(cap)}`);
      }
      const info: PlanInfo = {
        problem,
        requested,
        strategy,
        path: !limits.matrix ? 'fma' : limits.matrix.emulated ? 'emulated' : 'matrix',
        ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
        dispatches: built.steps.map((s) => ({ name: s.name, kernel: s.kernel, workgroups: s.workgroups })),
      };
      return { info, dtype: problem.dtype, tensors: built.tensors, steps: built.steps, layoutWeights: built.layoutWeights };
    }
    if (!def.fallback) throw new Error(`${strategy} cannot run on this adapter: ${built.unfit}`);
    reasons.push(`${strategy} → ${def.fallback}: ${built.unfit}`);
    strategy = def.fallback;
  }
}
