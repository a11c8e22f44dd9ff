/**
 * Number formats shared by the views. Each is total: a value past SI's prefixes is written with
 * an exponent, and one that is not finite reads "—", so no input makes a 300-digit figure.
 */
import { format } from 'd3';
import { LIMITS } from '../../lib/limits';

const si = format('.3~s');
const exponent = format('.3~e');
export const NOT_A_NUMBER = '—';

/** Within SI's prefixes (y to Y): beyond them d3 would write every digit. */
const siRange = (v: number) => v === 0 || (Math.abs(v) >= 1e-24 && Math.abs(v) < 1e27);

/** "1.2 MB", "340 kB", "512 B": SI prefixes */
function withUnit(v: number, unit: string): string {
  if (!Number.isFinite(v)) return NOT_A_NUMBER;
  if (!siRange(v)) return `${exponent(v)} ${unit}`;
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

/** "1.42 TB/s", "900 GB/s": bandwidth in bytes per second, SI prefixes */
export function formatByteRate(bytesPerS: number): string {
  return withUnit(bytesPerS, 'B/s');
}

/** "16.8M", "4.2k", "1.5B" parameters */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return NOT_A_NUMBER;
  return siRange(n) ? si(n).replace('G', 'B') : exponent(n);
}

const threeDigits = format('.3~r');

/** "12.6 s", "1.23 ms", "20 ms", "456 µs" */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return NOT_A_NUMBER;
  if (ms >= 1e7 || (ms > 0 && ms < 1e-6)) return `${exponent(ms)} ms`;
  if (ms >= 1000) return `${threeDigits(ms / 1000)} s`;
  return ms >= 1 ? `${threeDigits(ms)} ms` : ms >= 1e-3 ? `${threeDigits(ms * 1e3)} µs` : `${threeDigits(ms * 1e6)} ns`;
}

/** "1.85×", "20×" */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return NOT_A_NUMBER;
  return x >= 1e6 || (x > 0 && x < 1e-3) ? `${exponent(x)}×` : `${threeDigits(x)}×`;
}

export function formatIntensity(flopsPerByte: number): string {
  if (!Number.isFinite(flopsPerByte)) return NOT_A_NUMBER;
  if (flopsPerByte >= 1e6) return `${exponent(flopsPerByte)} FLOP/B`;
  return `${flopsPerByte >= 10 || flopsPerByte === 0 ? flopsPerByte.toFixed(0) : flopsPerByte.toPrecision(2)} FLOP/B`;
}

/** "42%", "0.31%" */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return NOT_A_NUMBER;
  if (fraction >= 1e4) return `${exponent(fraction * 100)}%`;
  return `${format(fraction >= 0.1 ? '.0%' : '.2~%')(fraction)}`;
}

/** "2026-11-25 03:22 UTC" for a date Date.parse reads; the text itself (clipped) for one it does not. */
export function formatGenerated(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso.length > 40 ? `${iso.slice(0, 39)}…` : iso;
  const d = new Date(t);
  return Math.abs(d.getUTCFullYear()) > 9999 ? iso.slice(0, 40) : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export { shortName } from '../../lib/limits';
