/** Shared scale helpers for the charts (d3 does the mapping; these pick the domains). */

/**
 * A log-axis domain of whole decades around the positive finite `values` (widened to two
 * decades when they fit in one power of ten); `fallback` when there are none.
 */
export function logDomain(values: number[], fallback: [number, number]): [number, number] {
  const vs = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!vs.length) return fallback;
  const lo = Math.floor(Math.log10(Math.min(...vs)));
  const hi = Math.ceil(Math.log10(Math.max(...vs)));
  return lo === hi ? [10 ** (lo - 1), 10 ** (hi + 1)] : [10 ** lo, 10 ** hi];
}
