/**
 * What a structure module knows. Each structure of the playground is one module of this shape
 * (dense.ts, lowrank.ts, monarch.ts, blast.ts) and one entry in the registry (index.ts): its
 * knobs, its parameter and FLOP counts, its validation rules, its random init, its f64
 * reference and dense equivalent, its kernel strategies with their plans, and what the
 * structure view draws of it. Everything else in the project asks the registry.
 */
import type { BuildResult, PlanLimits } from '../../gpu/plan-builder';
import type { LayerConfigs } from '../../presets/types';
import type { ValidationIssue } from '../checks';
import type { FactorPanel, SmallInstance } from '../drawing';
import type { DType, Factors, KnobName, Knobs, LayerShape, Strategy, StructureSpec } from '../types';

/** A problem of one structure. */
export interface ProblemOf<S> {
  shape: LayerShape;
  structure: S;
  dtype: DType;
}

/** One kernel strategy of a structure. */
export interface StrategyDef<S> {
  name: Strategy;
  /** one line for the controls: what its dispatches do */
  description: string;
  /**
   * The plan's dispatches, for this adapter: each step's kernel, tensors, parameters and
   * FLOPs, the adapter's refinements (tiles, split-K partial sums) included. The cost model
   * prices exactly these steps.
   */
  plan(p: ProblemOf<S>, limits: PlanLimits): BuildResult;
  /** the strategy the plan falls back to where this one does not fit the adapter */
  fallback?: Strategy;
}

/** Which knobs the validator passed, and whether m and n did, for a module's own rules. */
export interface CheckedFields {
  m: boolean;
  n: boolean;
  blocks: boolean;
  rank: boolean;
}

/**
 * A structure: `S` its spec ({ kind, ...its knobs }), `F` its factor tensors (f64, the
 * reference layout). Methods take the module's own spec; the registry (index.ts) hands each
 * spec to its module.
 */
export interface StructureModule<S extends StructureSpec, F extends Factors> {
  kind: S['kind'];
  /** "Monarch" */
  name: string;
  /** what it is, in one line, for the controls */
  summary: string;
  /** its knobs, in the order a spec, a link and a feed write them */
  knobs: readonly KnobName[];
  /** the rank's symbol: R for Monarch (b block pairs of rank R/b), r elsewhere */
  rankSymbol: 'r' | 'R';
  /** the rank's step at b blocks (a multiple of b for Monarch), where the structure has a rank */
  rankStep(blocks: number): number;
  /** the rank's rule, in a few words for the controls */
  rankHint(m: number, n: number, knobs: Knobs): string;
  /** "Monarch b=4 R=32" */
  label(s: S): string;

  /** element count of each factor tensor, in the reference layout of F */
  factorSizes(shape: LayerShape, s: S): Record<string, number>;
  /** FLOPs of one forward pass over all tokens (multiply and add counted separately) */
  flops(shape: LayerShape, s: S): number;
  /** elements of the intermediate a forward pass holds between its stages (0: none) */
  intermediate(shape: LayerShape, s: S): number;
  /** the structure's own rules on its knobs, after each was checked to be a count in LIMITS */
  rules(shape: LayerShape, s: S, ok: CheckedFields): ValidationIssue[];
  /** the paper's knobs for this structure at a preset layer; null where the paper has none */
  presetKnobs(layer: LayerConfigs): Partial<Knobs> | null;

  /** seeded factors, each stage scaled by 1/√fan-in through `draw(length, fanIn)` */
  randomFactors(shape: LayerShape, s: S, draw: (length: number, fanIn: number) => Float64Array): F;
  /** the f64 reference for one token row: y (m) = W x (n), as the paper's PyTorch baseline computes it */
  forwardRow(shape: LayerShape, s: S, f: F, x: Float64Array, y: Float64Array): void;
  /** the dense m × n W it equals, from closed forms independent of forwardRow */
  denseEquivalent(shape: LayerShape, s: S, f: F): Float64Array;

  /** its kernel strategies, in the order the controls offer them */
  strategies: readonly StrategyDef<S>[];
  /** the strategy it opens with: the paper's design where it has one */
  defaultStrategy: Strategy;

  /** the structure scaled to at most `maxDim` rows and columns, for the structure view */
  smallInstance(m: number, n: number, s: S, maxDim: number): SmallInstance<S>;
  /** its factors left to right, as in W = A · B · C */
  panels(instance: SmallInstance<S>): FactorPanel[];
}
