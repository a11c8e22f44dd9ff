/** Shared scale helpers for the charts (d3 does the mapping; these pick the domains). */

/**
 * A log-axis domain of whole decades around the positive finite `values` (widened to two
 * decades when they fit in one power of ten); `fallback` when there are none.
 */
export function logDomain(values: number[], fallback: [number, number]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  // A loop, not Math.min(...values): a spread of many values overflows the call stack.
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return fallback;
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  return lo === hi ? [10 ** (lo - 1), 10 ** (hi + 1)] : [10 ** lo, 10 ** hi];
}
