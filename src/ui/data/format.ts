/** Number formats shared by the views. */
import { format } from 'd3';

const si = format('.3~s');

/** "1.2 MB", "340 kB", "512 B": SI prefixes, as bandwidth in GB/s uses */
function withUnit(v: number, unit: string): string {
  const [, digits, prefix] = /^(-?[\d.]+)(\D*)$/.exec(si(v)) ?? [, si(v), ''];
  return `${digits} ${prefix}${unit}`;
}

export function formatBytes(bytes: number): string {
  return withUnit(bytes, 'B');
}

export function formatFlops(flops: number): string {
  return withUnit(flops, 'FLOP');
}

export function formatFlopRate(flopsPerS: number): string {
  return withUnit(flopsPerS, 'FLOP/s');
}

/** "16.8M", "4.2k", "1.5B" parameters */
export function formatCount(n: number): string {
  return si(n).replace('G', 'B');
}

const threeDigits = format('.3~r');

/** "12.6 s", "1.23 ms", "20 ms", "456 µs" */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${threeDigits(ms / 1000)} s`;
  return ms >= 1 ? `${threeDigits(ms)} ms` : `${threeDigits(ms * 1e3)} µs`;
}

/** "1.85×", "20×" */
export function formatRatio(x: number): string {
  return `${threeDigits(x)}×`;
}

export function formatIntensity(flopsPerByte: number): string {
  return `${flopsPerByte >= 10 || flopsPerByte === 0 ? flopsPerByte.toFixed(0) : flopsPerByte.toPrecision(2)} FLOP/B`;
}

/** "42%", "0.31%" */
export function formatPercent(fraction: number): string {
  return `${format(fraction >= 0.1 ? '.0%' : '.2~%')(fraction)}`;
}
