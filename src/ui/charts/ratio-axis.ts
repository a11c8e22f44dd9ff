/**
 * The log axis of the ratio charts (RatioBars, RatioDots): ratios to dense on both sides of 1,
 * with ticks at 1, 2, 5 per decade and their reciprocals.
 */
import { scaleLog, type ScaleLogarithmic } from 'd3';

/** The widest the axis goes: a ratio beyond it is drawn to the edge, its label still exact. */
export const RATIO_LIMITS: [number, number] = [1 / 20, 20];

/** A domain around the values and 1, padded so the value labels fit, at least 0.5–2, at most RATIO_LIMITS. */
export function ratioDomain(values: number[]): [number, number] {
  const vs = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.min(0.5, ...vs.map((v) => v / 1.6));
  const hi = Math.max(2, ...vs.map((v) => v * 1.6));
  return [Math.max(lo, RATIO_LIMITS[0]), Math.min(hi, RATIO_LIMITS[1])];
}

/** A value held inside the domain, for drawing. */
export const clampTo = ([lo, hi]: [number, number], v: number) => Math.min(hi, Math.max(lo, v));

const STEPS = [1, 2, 5];

/** Ticks inside the domain: …, 0.2, 0.5, 1, 2, 5, 10, …; thinned to at most `max`. */
export function ratioTicks([lo, hi]: [number, number], max = 9): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const s of STEPS) {
      const t = s * 10 ** e;
      if (t >= lo && t <= hi) ticks.push(Number(t.toPrecision(3)));
    }
  }
  if (ticks.length <= max) return ticks;
  const decades = ticks.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return decades.length >= 2 ? decades : [ticks[0], 1, ticks.at(-1)!];
}

export function ratioScale(domain: [number, number], range: [number, number]): ScaleLogarithmic<number, number> {
  return scaleLog().domain(domain).range(range);
}

/** The ticks that fit: 1 always, the others only `minGap` pixels from the last one kept. */
export function spacedTicks(ticks: number[], x: (v: number) => number, minGap = 34): number[] {
  const kept: number[] = [1];
  const byDistance = [...ticks].filter((t) => t !== 1).sort((a, b) => Math.abs(Math.log(a)) - Math.abs(Math.log(b)));
  for (const t of byDistance) if (kept.every((k) => Math.abs(x(k) - x(t)) >= minGap)) kept.push(t);
  return kept.sort((a, b) => a - b);
}

export const tickLabel = (t: number) => `${t}×`;

/** The font every exported chart uses, written on the SVG so a downloaded file looks the same. */
export const CHART_FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

/** Lines of at most `maxChars` characters, broken at spaces (a word longer than that gets a line of its own). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
