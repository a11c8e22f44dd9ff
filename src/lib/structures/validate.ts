import { LIMITS } from '../limits';
import { factorSizes } from './shapes';
import { DTYPE_BYTES, DTYPES, STRUCTURE_KINDS, type Problem } from './types';

/** One reason a problem is invalid, tied to the field a person would fix. */
export interface ValidationIssue {
  field: 'm' | 'n' | 'tokens' | 'kind' | 'blocks' | 'rank' | 'dtype' | 'size';
  message: string;
}

/** Buffer limits of an adapter; any GPUSupportedLimits satisfies this. */
export interface BufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** The largest tensor the adapter can bind as one storage buffer, in bytes. */
export function largestBinding(limits: BufferLimits): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

function checkCount(field: ValidationIssue['field'], label: string, v: unknown, max: number, out: ValidationIssue[]): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    out.push({ field, message: `${label} must be a number, got ${String(v)}` });
    return false;
  }
  if (!Number.isInteger(v)) {
    out.push({ field, message: `${label} must be a whole number, got ${v}` });
    return false;
  }
  if (v <= 0) {
    out.push({ field, message: `${label} must be at least 1, got ${v}` });
    return false;
  }
  if (v > max) {
    out.push({ field, message: `${label} must be at most ${max} (the playground's limit), got ${v}` });
    return false;
  }
  return true;
}

/**
 * Every reason `p` cannot be built, each with a precise message; empty when valid.
 * With `limits`, also checks that every tensor fits one storage binding of the adapter.
 */
export function validateProblem(p: Problem, limits?: BufferLimits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { m, n, tokens } = p.shape;
  const okM = checkCount('m', 'm (output features)', m, LIMITS.size, issues);
  const okN = checkCount('n', 'n (input features)', n, LIMITS.size, issues);
  checkCount('tokens', 'tokens', tokens, LIMITS.tokens, issues);
  if (!DTYPES.includes(p.dtype)) issues.push({ field: 'dtype', message: `dtype must be one of ${DTYPES.join(', ')}, got ${String(p.dtype)}` });
  const s = p.structure;
  if (!STRUCTURE_KINDS.includes(s.kind)) {
    issues.push({ field: 'kind', message: `structure must be one of ${STRUCTURE_KINDS.join(', ')}, got ${String(s.kind)}` });
    return issues;
  }
  if (s.kind === 'lowrank') {
    if (checkCount('rank', 'rank r', s.rank, LIMITS.rank, issues) && okM && okN && s.rank > Math.min(m, n)) {
      issues.push({ field: 'rank', message: `rank r=${s.rank} exceeds min(m, n)=${Math.min(m, n)}: a low-rank factor cannot have more rank than its matrix` });
    }
  }
  if (s.kind === 'monarch' || s.kind === 'blast') {
    const name = s.kind === 'monarch' ? 'Monarch' : 'BLAST';
    const okB = checkCount('blocks', 'blocks b', s.blocks, LIMITS.blocks, issues);
    const okR = checkCount('rank', s.kind === 'monarch' ? 'rank R' : 'rank r', s.rank, LIMITS.rank, issues);
    if (okB && okN && n % s.blocks !== 0) issues.push({ field: 'blocks', message: `blocks b=${s.blocks} must divide n=${n}` });
    if (okB && okM && m % s.blocks !== 0) issues.push({ field: 'blocks', message: `blocks b=${s.blocks} must divide m=${m}` });
    if (okB && okR && s.kind === 'monarch' && s.rank % s.blocks !== 0) {
      issues.push({ field: 'rank', message: `Monarch rank R=${s.rank} must be a multiple of blocks b=${s.blocks} (each block pair has rank R/b)` });
    }
    if (okR && okM && okN && s.rank > Math.min(m, n)) {
      // Monarch: each (out-block, in-block) pair has rank R/b, at most min(m, n)/b.
      // BLAST: r may exceed the block size (the paper's Llama-7B uses r=1024 on 256-wide blocks),
      // but never the matrix's own rank bound.
      issues.push({ field: 'rank', message: `${name} rank ${s.kind === 'monarch' ? 'R' : 'r'}=${s.rank} exceeds min(m, n)=${Math.min(m, n)}` });
    }
  }
  if (limits && issues.length === 0) {
    const bytes = DTYPE_BYTES[p.dtype];
    const tensors: Record<string, number> = {
      X: tokens * n,
      Y: tokens * m,
      ...factorSizes(p.shape, s),
    };
    if (s.kind === 'monarch' || s.kind === 'blast') tensors.intermediate = tokens * s.blocks * s.rank;
    if (s.kind === 'lowrank') tensors.intermediate = tokens * s.rank;
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

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b} B`;
}

/** Throws one Error naming every issue; for callers that cannot go on with a bad problem. */
export function assertValid(p: Problem, limits?: BufferLimits): void {
  const issues = validateProblem(p, limits);
  if (issues.length) throw new Error(issues.map((i) => i.message).join('; '));
}
