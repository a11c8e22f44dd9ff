/** Accuracy of a GPU result against the f64 reference (docs/structures.md#checking-kernels). */

export interface Accuracy {
  /** ‖y − ref‖₂ / ‖ref‖₂ over the compared rows; Infinity when any value is NaN/Inf or unwritten */
  relErr: number;
  maxAbsErr: number;
  /** elements that are not finite (NaN from the poison means the kernel never wrote them) */
  nonFinite: number;
  compared: number;
}

/** Tolerances on relErr: f32 under 1e-5, f16 under 1e-2 (f16 inputs carry 11 significant bits). */
export const TOLERANCE = { f32: 1e-5, f16: 1e-2 } as const;

/**
 * Compares `y` with `ref` (both T × m), on all rows or on `rows` only. NaN never passes:
 * any non-finite value makes relErr Infinity.
 */
export function compareOutputs(y: ArrayLike<number>, ref: ArrayLike<number>, m: number, rows?: number[]): Accuracy {
  const T = ref.length / m;
  const todo = rows ?? Array.from({ length: T }, (_, t) => t);
  let num = 0;
  let den = 0;
  let maxAbsErr = 0;
  let nonFinite = 0;
  for (const t of todo) {
    for (let i = t * m; i < (t + 1) * m; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      const d = v - ref[i];
      num += d * d;
      den += ref[i] * ref[i];
      if (Math.abs(d) > maxAbsErr) maxAbsErr = Math.abs(d);
    }
  }
  const relErr = nonFinite > 0 ? Infinity : den === 0 ? (num === 0 ? 0 : Infinity) : Math.sqrt(num / den);
  return { relErr, maxAbsErr: nonFinite > 0 ? Infinity : maxAbsErr, nonFinite, compared: todo.length * m };
}
