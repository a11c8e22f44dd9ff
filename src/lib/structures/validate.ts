import { LIMITS } from '../limits';
import { checkCount, formatBytes, largestBinding, type BufferLimits, type ValidationIssue } from './checks';
import { isStructureKind, structureOf, STRUCTURE_KINDS } from './kinds';
import { DTYPE_BYTES, DTYPES, type Problem } from './types';

export { formatBytes, largestBinding, type BufferLimits, type ValidationIssue } from './checks';

/**
 * Every reason `p` cannot be built, each with a precise message; empty when valid. The shape,
 * the dtype and each knob's range are checked here; the rules between a structure's knobs and
 * the shape are its module's (kinds/). With `limits`, also checks that every tensor fits one
 * storage binding of the adapter.
 */
export function validateProblem(p: Problem, limits?: BufferLimits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { m, n, tokens } = p.shape;
  const okM = checkCount('m', 'm (output features)', m, LIMITS.size, issues);
  const okN = checkCount('n', 'n (input features)', n, LIMITS.size, issues);
  checkCount('tokens', 'tokens', tokens, LIMITS.tokens, issues);
  if (!DTYPES.includes(p.dtype)) issues.push({ field: 'dtype', message: `dtype must be one of ${DTYPES.join(', ')}, got ${String(p.dtype)}` });
  const s = p.structure;
  if (!isStructureKind(s.kind)) {
    issues.push({ field: 'kind', message: `structure must be one of ${STRUCTURE_KINDS.join(', ')}, got ${String(s.kind)}` });
    return issues;
  }
  const module = structureOf(s);
  const knobs = s as unknown as Record<string, unknown>;
  const has = (knob: 'blocks' | 'rank') => module.knobs.includes(knob);
  const okB = has('blocks') && checkCount('blocks', 'blocks b', knobs.blocks, LIMITS.blocks, issues);
  const okR = has('rank') && checkCount('rank', `rank ${module.rankSymbol}`, knobs.rank, LIMITS.rank, issues);
  issues.push(...module.rules(p.shape, s, { m: okM, n: okN, blocks: okB, rank: okR }));
  if (limits && issues.length === 0) {
    const bytes = DTYPE_BYTES[p.dtype];
    const tensors: Record<string, number> = { X: tokens * n, Y: tokens * m, ...module.factorSizes(p.shape, s) };
    const intermediate = module.intermediate(p.shape, s);
    if (intermediate > 0) tensors.intermediate = intermediate;
    const cap = largestBinding(limits);
    for (const [name, count] of Object.entries(tensors)) {
      const size = count * bytes;
      if (size > cap) {
        issues.push({ field: 'size', message: `${name} needs ${formatBytes(size)}, over this adapter's largest storage binding of ${formatBytes(cap)}` });
      }
    }
  }
  return issues;
}

/** Throws one Error naming every issue; for callers that cannot go on with a bad problem. */
export function assertValid(p: Problem, limits?: BufferLimits): void {
  const issues = validateProblem(p, limits);
  if (issues.length) throw new Error(issues.map((i) => i.message).join('; '));
}
