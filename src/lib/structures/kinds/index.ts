/**
 * The registry of structures. Each structure is one module (kind.ts says what it holds); every
 * other part of the project reaches a structure's knowledge through this registry, never by
 * naming the structure.
 *
 * To add a structure: write its module next to these (its spec and factor types and a
 * `StructureModule`), then add it here: its import, its spec and factors to the two unions, and
 * its place in MODULES. The controls, links, feeds, CLI, cost model, plans and views take it
 * from there.
 */
import type { Strategy } from '../types';
import { blast, type BlastFactors, type BlastSpec } from './blast';
import { dense, type DenseFactors, type DenseSpec } from './dense';
import type { StrategyDef, StructureModule } from './kind';
import { lowrank, type LowrankFactors, type LowrankSpec } from './lowrank';
import { monarch, type MonarchFactors, type MonarchSpec } from './monarch';

export type { ProblemOf, StrategyDef, StructureModule } from './kind';

/** A structure and its knobs, e.g. { kind: 'monarch', blocks: 4, rank: 32 }. */
export type StructureSpec = DenseSpec | LowrankSpec | MonarchSpec | BlastSpec;

/**
 * Factor tensors, row-major, in the reference layout:
 * - dense:   W  (m × n)
 * - lowrank: U  (m × r), V (n × r)                 W = U·Vᵀ
 * - monarch: W1 (b × R × n/b), W2 (b × m/b × R)     the paper's w1_bfly_t / w2_bfly_t
 * - blast:   U  (b × m/b × r), V (b × n/b × r), S (b × b × r), S[i][j] couples out-block i ← in-block j
 */
export type Factors = DenseFactors | LowrankFactors | MonarchFactors | BlastFactors;

export type StructureKind = StructureSpec['kind'];

/** A module seen through the union: the registry only hands it specs and factors of its own kind. */
export type AnyStructure = StructureModule<StructureSpec, Factors>;

/** The structures, in the order the controls, tables and feeds list them. */
const MODULES = [dense, lowrank, monarch, blast] as const satisfies readonly AnyStructure[];

const BY_KIND = new Map<string, AnyStructure>(MODULES.map((s) => [s.kind, s]));

export const STRUCTURE_KINDS: readonly StructureKind[] = MODULES.map((s) => s.kind);

/** The module of a kind; throws for a kind that is not one (callers validate first). */
export function structure(kind: StructureKind): AnyStructure {
  const s = BY_KIND.get(kind);
  if (!s) throw new Error(`unknown structure '${String(kind)}'; known: ${STRUCTURE_KINDS.join(', ')}`);
  return s;
}

/** The module of a spec (or of factors: both carry their kind). */
export const structureOf = (x: { kind: StructureKind }): AnyStructure => structure(x.kind);

export const isStructureKind = (k: unknown): k is StructureKind => typeof k === 'string' && BY_KIND.has(k);

/** Each structure's strategy names, in the order it offers them. */
export const STRATEGIES: Record<StructureKind, readonly Strategy[]> = Object.fromEntries(
  MODULES.map((s) => [s.kind, s.strategies.map((d) => d.name)]),
) as unknown as Record<StructureKind, readonly Strategy[]>;

/** Every strategy name of any structure, in STRATEGIES order. */
export const STRATEGY_NAMES: readonly Strategy[] = [...new Set(STRUCTURE_KINDS.flatMap((k) => STRATEGIES[k]))];

/**
 * The strategy a structure opens with, wherever it is chosen for the user (a link that names
 * none, a click on the structure, the CLI without --strategy): the paper's design for Monarch and
 * BLAST (partial), else tiled GEMMs (dense; low-rank, whose fused kernel is far slower on GPUs:
 * docs/decisions.md#lowrank-fused).
 */
export const DEFAULT_STRATEGY: Record<StructureKind, Strategy> = Object.fromEntries(MODULES.map((s) => [s.kind, s.defaultStrategy])) as unknown as Record<StructureKind, Strategy>;

/** A structure's strategy by name; undefined where it has none of that name. */
export function strategyOf(kind: StructureKind, name: Strategy): StrategyDef<StructureSpec> | undefined {
  return structure(kind).strategies.find((d) => d.name === name);
}
