/**
 * A structure's knobs (b and the rank) and the values that make a valid layer of it: the one
 * place a spec is built from a kind and its knobs, and where the choices the controls offer, the
 * defaults, and the nearest valid knobs (for a link that got them wrong) come from. Which knobs
 * a structure has, and the rank's step, are its module's (kinds/).
 */
import { LIMITS } from '../limits';
import { gcd } from '../math';
import { isStructureKind, structure } from './kinds';
import type { KnobName, Knobs, StructureKind, StructureSpec } from './types';

export type { Knobs } from './types';

/** Whether `kind` has the knob (false for a kind that is not one). */
export function hasKnob(kind: StructureKind, knob: KnobName): boolean {
  return isStructureKind(kind) && structure(kind).knobs.includes(knob);
}

/** The spec of `kind` with these knobs; a knob the kind lacks is left out, a missing one it needs throws. */
export function specFrom(kind: StructureKind, knobs: Partial<Knobs>): StructureSpec {
  const spec: Record<string, unknown> = { kind };
  for (const key of structure(kind).knobs) {
    const v = knobs[key];
    if (v === undefined) throw new Error(`${kind} needs ${key}`);
    spec[key] = v;
  }
  return spec as StructureSpec;
}

/** The knobs `kind` has, taken from `values`, in the kind's order; none for a kind that is not one. */
export function knobsIn(kind: StructureKind, values: Partial<Knobs>): Partial<Knobs> {
  return isStructureKind(kind) ? Object.fromEntries(structure(kind).knobs.map((key) => [key, values[key]])) : {};
}

/** The knobs a spec has (none for dense), in the kind's order. */
export function knobsOf(spec: StructureSpec): Partial<Knobs> {
  return knobsIn(spec.kind, spec as Partial<Knobs>);
}

export function usesBlocks(kind: StructureKind): boolean {
  return hasKnob(kind, 'blocks');
}

/** The rank's step: Monarch's R is b block pairs of R/b each, so a multiple of b; any rank elsewhere. */
export function rankStep(kind: StructureKind, blocks: number): number {
  return structure(kind).rankStep(blocks);
}

/** Block counts b that divide both m and n, up to LIMITS.blocks. */
export function blockChoices(m: number, n: number): number[] {
  const g = gcd(m, n);
  const out: number[] = [];
  for (let b = 1; b <= Math.min(g, LIMITS.blocks); b++) if (g % b === 0) out.push(b);
  return out;
}

/** The largest valid rank: min(m, n) rounded down to the step. */
export function maxRank(kind: StructureKind, m: number, n: number, blocks: number): number {
  const step = rankStep(kind, blocks);
  return Math.floor(Math.min(m, n, LIMITS.rank) / step) * step;
}

/**
 * Ranks the controls offer: multiples of the step up to the largest valid rank, as step·2^k and
 * step·3·2^k plus the largest, and any valid `extras` (the preset's, the current).
 */
export function rankChoices(kind: StructureKind, m: number, n: number, blocks: number, extras: number[] = []): number[] {
  if (!hasKnob(kind, 'rank')) return [];
  const step = rankStep(kind, blocks);
  const max = maxRank(kind, m, n, blocks);
  const values = new Set<number>();
  for (const base of [step, 3 * step]) for (let v = base; v <= max; v *= 2) values.add(v);
  if (max >= step) values.add(max);
  for (const v of extras) if (Number.isInteger(v) && v >= step && v <= max && v % step === 0) values.add(v);
  return [...values].sort((a, b) => a - b);
}

const nearest = (choices: number[], target: number) =>
  choices.reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), choices[0]);

/** The offered block count nearest `wanted`. */
export function nearestBlocks(m: number, n: number, wanted: number): number {
  return nearest(blockChoices(m, n), wanted);
}

/** The valid rank nearest `wanted`: a multiple of the step from the step to the largest. */
export function nearestRank(kind: StructureKind, m: number, n: number, blocks: number, wanted: number): number {
  const step = rankStep(kind, blocks);
  return Math.min(maxRank(kind, m, n, blocks), Math.max(step, Math.round(wanted / step) * step));
}

/** b = 4 where it divides m and n, else the smallest block count above 1 that does. */
export function defaultBlocks(m: number, n: number): number {
  const offered = blockChoices(m, n);
  return offered.includes(4) ? 4 : (offered.find((b) => b > 1) ?? 1);
}

/** The largest offered rank up to min(m, n)/4: about a 2× compression for square layers. */
export function defaultRank(kind: StructureKind, m: number, n: number, blocks: number): number {
  const ranks = rankChoices(kind, m, n, blocks);
  const target = Math.min(m, n) / 4;
  return ranks.filter((r) => r <= target).pop() ?? ranks[0] ?? 1;
}

/** Knobs for a shape with no preset config. */
export function defaultKnobs(kind: StructureKind, m: number, n: number): Knobs {
  const blocks = defaultBlocks(m, n);
  return { blocks, rank: defaultRank(kind, m, n, blocks) };
}
