/**
 * Checks shared by validation (validate.ts), the structure modules (kinds/) and the planner:
 * the one way a count is refused, and the adapter's binding limit.
 */

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

/** A whole number from 1 to `max`, else an issue naming `label` pushed to `out`. */
export function checkCount(field: ValidationIssue['field'], label: string, v: unknown, max: number, out: ValidationIssue[]): v is number {
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

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(1)} KiB`;
  return `${b} B`;
}
