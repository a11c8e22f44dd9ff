/**
 * What the block-structure view draws, as plain data: a structure's factors as panels of
 * blocks, each block tied to the entries of the dense matrix it produces. Each structure module
 * (kinds/) says how its factors look; src/ui/data/structure.ts assembles the drawing.
 */
import type { StructureSpec } from './types';

/** Rows × columns of a matrix region, in that matrix's own entries. */
export interface Region {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface FactorBlock extends Region {
  label: string;
  /** the dense entries this block contributes to */
  produces: Region[];
}

/** One factor of the product, drawn as a matrix of `rows × cols` entries. */
export interface FactorPanel {
  id: string;
  title: string;
  /** what the factor is, for the caption and screen readers */
  caption: string;
  rows: number;
  cols: number;
  blocks: FactorBlock[];
  /** single entries to mark (the ones of a permutation matrix) */
  entries: { row: number; col: number }[];
  /** lines every `rows` rows and `cols` columns, where the blocks are too many to outline */
  grid?: { rows: number; cols: number };
}

/** A structure at a size that can be drawn entry by entry. */
export interface SmallInstance<S extends StructureSpec = StructureSpec> {
  m: number;
  n: number;
  spec: S;
}

/**
 * Entries along the intermediate (b·r for BLAST, b·R for Monarch) the drawing aims at: it keeps
 * the coupling and permutation panels a few hundred entries across, whatever the rank.
 */
export const MAX_INTERMEDIATE = 256;

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
export const range = (k: number) => Array.from({ length: k }, (_, i) => i);
export const rowsBand = (row: number, rows: number, n: number): Region => ({ row, col: 0, rows, cols: n });
export const colsBand = (col: number, cols: number, m: number): Region => ({ row: 0, col, rows: m, cols });

/** A panel; `entries` defaults to none. */
export const panel = (p: Omit<FactorPanel, 'entries'> & { entries?: FactorPanel['entries'] }): FactorPanel => ({ entries: [], ...p });

/** `count` blocks of rows × cols down the diagonal. */
export function blockDiagonal(count: number, rows: number, cols: number, label: (k: number) => string, produces: (k: number) => Region[]): FactorBlock[] {
  return range(count).map((k) => ({ label: label(k), row: k * rows, col: k * cols, rows, cols, produces: produces(k) }));
}

/** m and n scaled by `scale`, at least one entry each. */
export function scaledShape(m: number, n: number, scale: number): { m: number; n: number } {
  return { m: Math.max(1, Math.round(m * scale)), n: Math.max(1, Math.round(n * scale)) };
}

/** m and n scaled by `scale` with b kept: whole blocks, at least one entry per block. */
export function scaledBlockShape(m: number, n: number, b: number, scale: number): { m: number; n: number } {
  return { m: b * Math.max(1, Math.round((m / b) * scale)), n: b * Math.max(1, Math.round((n / b) * scale)) };
}
