/**
 * Our kernel strategies under the paper's names (§4): which strategy is which of its
 * optimisations ①–⑤. Strategies are looked up by name, so a strategy this build has no kernel
 * for (⑤, `perm-fused`, until it lands) is simply "not measured" wherever it is asked for.
 */
import type { StructureKind } from '../structures/types';
import { STRATEGIES, STRUCTURE_KINDS } from '../structures/kinds';

export interface Kernel {
  kind: StructureKind;
  strategy: string;
}

export const DENSE: Kernel = { kind: 'dense', strategy: 'tiled' };
/** the PyTorch low-rank baseline: two GEMMs */
export const LOWRANK: Kernel = { kind: 'lowrank', strategy: 'tiled' };
/** the PyTorch-eager baselines of the BLAST and Monarch repositories */
export const MONARCH_BASELINE: Kernel = { kind: 'monarch', strategy: 'unfused' };
export const BLAST_BASELINE: Kernel = { kind: 'blast', strategy: 'unfused' };
/** Monarch ①–③ (re-laid-out V, the permutation fused into the first bmm, no final permutation) */
export const MONARCH_OPTIMISED: Kernel = { kind: 'monarch', strategy: 'partial' };
/** BLAST ④: partial fusion, the coupling on CUDA cores */
export const BLAST_PARTIAL: Kernel = { kind: 'blast', strategy: 'partial' };
/** BLAST ⑤: permutation-only fusion, three batched GEMMs on tensor cores */
export const BLAST_PERM_FUSED: Kernel = { kind: 'blast', strategy: 'perm-fused' };

const KIND_NAME: Record<StructureKind, string> = { dense: 'Dense', lowrank: 'Low-rank', monarch: 'Monarch', blast: 'BLAST' };

/** The paper's symbol or role for a strategy, where it has one. */
const PAPER_ROLE: Record<string, string> = {
  'lowrank tiled': 'baseline',
  'monarch unfused': 'baseline',
  'monarch partial': '①–③',
  'blast unfused': 'baseline',
  'blast partial': '④',
  'blast perm-fused': '⑤',
};

export function kindName(kind: StructureKind): string {
  return KIND_NAME[kind];
}

/** "Monarch partial ①–③", "BLAST unfused (baseline)", "Dense". */
export function kernelLabel(k: Kernel): string {
  if (k.kind === 'dense') return 'Dense';
  const role = PAPER_ROLE[`${k.kind} ${k.strategy}`];
  return `${KIND_NAME[k.kind]} ${k.strategy}${role === undefined ? '' : role === 'baseline' ? ' (baseline)' : ` ${role}`}`;
}

export const sameKernel = (a: Kernel, b: Kernel) => a.kind === b.kind && a.strategy === b.strategy;

/** Every kernel this build has, dense first, in STRATEGIES order. */
export function allKernels(): Kernel[] {
  return STRUCTURE_KINDS.flatMap((kind) => STRATEGIES[kind].map((strategy) => ({ kind, strategy })));
}

/** The structure's baseline: its first strategy (low-rank's two GEMMs, the unfused PyTorch-eager path). */
export function baselineOf(kind: StructureKind): Kernel {
  return { kind, strategy: STRATEGIES[kind][0] };
}

/**
 * The structured kernels a figure shows: every one this build has, and ⑤ by name wherever a
 * source has it (a feed may carry it before this build has its kernel).
 */
export function structuredKernels(): Kernel[] {
  const kernels = allKernels().filter((k) => k.kind !== 'dense');
  if (!kernels.some((k) => sameKernel(k, BLAST_PERM_FUSED))) {
    const at = kernels.findIndex((k) => sameKernel(k, BLAST_PARTIAL));
    kernels.splice(at + 1, 0, BLAST_PERM_FUSED);
  }
  return kernels;
}
