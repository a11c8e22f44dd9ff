/**
 * What the block-structure view draws: the chosen structure scaled down to a small instance
 * (b kept), its factors as blocks, and for each block the entries of the dense matrix it
 * produces.
 */
import { randomFactors } from '../../lib/structures/init';
import { denseEquivalent } from '../../lib/structures/dense-equivalent';
import type { StructureSpec } from '../../lib/structures/types';

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

export interface SmallInstance {
  m: number;
  n: number;
  spec: StructureSpec;
}

export interface StructureDrawing {
  instance: SmallInstance;
  /** factors left to right, as in W = A · B · C */
  panels: FactorPanel[];
  /** the dense equivalent, row-major m × n */
  dense: Float64Array;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Entries along the intermediate (b·r for BLAST, b·R for Monarch) the drawing aims at: it keeps
 * the coupling and permutation panels a few hundred entries across, whatever the rank.
 */
const MAX_INTERMEDIATE = 256;

/**
 * The structure at a size that can be drawn entry by entry: m and n scaled to at most `maxDim`
 * (never below one entry per block), b kept, the rank scaled by the same factor within its
 * valid range (Monarch: a multiple of b, at least one rank per block pair) and so that b·r stays
 * near MAX_INTERMEDIATE. With b ≤ LIMITS.blocks, what is drawn is bounded whatever the layer.
 */
export function smallInstance(m: number, n: number, spec: StructureSpec, maxDim = 64): SmallInstance {
  const scale = Math.min(1, maxDim / Math.max(m, n));
  if (spec.kind === 'dense' || spec.kind === 'lowrank') {
    const ms = Math.max(1, Math.round(m * scale));
    const ns = Math.max(1, Math.round(n * scale));
    if (spec.kind === 'dense') return { m: ms, n: ns, spec };
    return { m: ms, n: ns, spec: { kind: 'lowrank', rank: clamp(Math.round(spec.rank * scale), 1, Math.min(ms, ns)) } };
  }
  const b = spec.blocks;
  const ms = b * Math.max(1, Math.round((m / b) * scale));
  const ns = b * Math.max(1, Math.round((n / b) * scale));
  if (spec.kind === 'monarch') {
    const perPair = clamp(Math.round((spec.rank / b) * scale), 1, Math.max(1, Math.min(Math.floor(Math.min(ms, ns) / b), Math.floor(MAX_INTERMEDIATE / (b * b)))));
    return { m: ms, n: ns, spec: { kind: 'monarch', blocks: b, rank: b * perPair } };
  }
  const rank = clamp(Math.round(spec.rank * scale), 1, Math.max(1, Math.min(ms, ns, Math.floor(MAX_INTERMEDIATE / b))));
  return { m: ms, n: ns, spec: { kind: 'blast', blocks: b, rank } };
}

const range = (k: number) => Array.from({ length: k }, (_, i) => i);
const rowsBand = (row: number, rows: number, n: number): Region => ({ row, col: 0, rows, cols: n });
const colsBand = (col: number, cols: number, m: number): Region => ({ row: 0, col, rows: m, cols });
/** Rows j, j + b, j + 2b, …: where Monarch's interleaved output puts stage-2 block j. */
const strideRows = (j: number, b: number, m: number, col: number, cols: number): Region[] =>
  range(m / b).map((s) => ({ row: s * b + j, col, rows: 1, cols }));

function blockDiagonal(count: number, rows: number, cols: number, label: (k: number) => string, produces: (k: number) => Region[]): FactorBlock[] {
  return range(count).map((k) => ({ label: label(k), row: k * rows, col: k * cols, rows, cols, produces: produces(k) }));
}

function panelsOf({ m, n, spec }: SmallInstance): FactorPanel[] {
  const all = [rowsBand(0, m, n)];
  const panel = (p: Omit<FactorPanel, 'entries'> & { entries?: FactorPanel['entries'] }): FactorPanel => ({ entries: [], ...p });
  switch (spec.kind) {
    case 'dense':
      return [panel({ id: 'W', title: 'W', caption: `dense ${m} × ${n}`, rows: m, cols: n, blocks: [{ label: 'W', ...all[0], produces: all }] })];
    case 'lowrank': {
      const r = spec.rank;
      return [
        panel({ id: 'U', title: 'U', caption: `${m} × ${r}`, rows: m, cols: r, blocks: [{ label: 'U', row: 0, col: 0, rows: m, cols: r, produces: all }] }),
        panel({ id: 'Vt', title: 'Vᵀ', caption: `${r} × ${n}`, rows: r, cols: n, blocks: [{ label: 'Vᵀ', row: 0, col: 0, rows: r, cols: n, produces: all }] }),
      ];
    }
    case 'monarch': {
      const { blocks: b, rank: R } = spec;
      const p = n / b;
      const s = m / b;
      const k = R / b;
      // Stage-1 output (block c, slot q) feeds stage-2 block q mod b at slot c·R/b + ⌊q/b⌋.
      const entries = range(b).flatMap((c) => range(R).map((q) => ({ row: (q % b) * R + c * k + Math.floor(q / b), col: c * R + q })));
      const pairs = range(b).flatMap((j) =>
        range(b).map((c) => ({
          label: `pair out ${j} ← in ${c}`,
          row: j * R + c * k,
          col: c * R,
          rows: k,
          cols: R,
          produces: strideRows(j, b, m, c * p, p),
        })),
      );
      return [
        panel({
          id: 'W2',
          title: 'W2',
          caption: `stage 2: ${b} blocks of ${s} × ${R}; output row s·b + j comes from block j`,
          rows: m,
          cols: b * R,
          blocks: blockDiagonal(b, s, R, (j) => `W2 block ${j}`, (j) => strideRows(j, b, m, 0, n)),
        }),
        panel({
          id: 'P',
          title: 'P',
          caption: `permutation of the ${b * R} intermediates: stage-2 block j takes R/b = ${k} values from every stage-1 block`,
          rows: b * R,
          cols: b * R,
          blocks: pairs,
          entries,
          grid: { rows: R, cols: R },
        }),
        panel({
          id: 'W1',
          title: 'W1',
          caption: `stage 1: ${b} blocks of ${R} × ${p}`,
          rows: b * R,
          cols: n,
          blocks: blockDiagonal(b, R, p, (c) => `W1 block ${c}`, (c) => [colsBand(c * p, p, m)]),
        }),
      ];
    }
    case 'blast': {
      const { blocks: b, rank: r } = spec;
      const p = m / b;
      const q = n / b;
      // S as the (b·r) × (b·r) factor between U and Vᵀ: block (i, j) is diag(s_ij).
      const coupling = range(b).flatMap((i) =>
        range(b).map((j) => ({ label: `S block (${i}, ${j})`, row: i * r, col: j * r, rows: r, cols: r, produces: [{ row: i * p, col: j * q, rows: p, cols: q }] })),
      );
      const diagonals = range(b).flatMap((i) => range(b).flatMap((j) => range(r).map((t) => ({ row: i * r + t, col: j * r + t }))));
      return [
        panel({ id: 'U', title: 'U', caption: `${b} blocks U_i of ${p} × ${r}`, rows: m, cols: b * r, blocks: blockDiagonal(b, p, r, (i) => `U block ${i}`, (i) => [rowsBand(i * p, p, n)]) }),
        panel({
          id: 'S',
          title: 'S',
          caption: `${b} × ${b} coupling grid, block (i, j) = diag(s_ij) of ${r}`,
          rows: b * r,
          cols: b * r,
          blocks: coupling,
          entries: diagonals,
          grid: { rows: r, cols: r },
        }),
        panel({ id: 'Vt', title: 'Vᵀ', caption: `${b} blocks V_jᵀ of ${r} × ${q}`, rows: b * r, cols: n, blocks: blockDiagonal(b, r, q, (j) => `V block ${j}`, (j) => [colsBand(j * q, q, m)]) }),
      ];
    }
  }
}

export function structureDrawing(m: number, n: number, spec: StructureSpec, seed: number, maxDim = 64): StructureDrawing {
  const instance = smallInstance(m, n, spec, maxDim);
  const shape = { m: instance.m, n: instance.n, tokens: 1 };
  const dense = denseEquivalent(shape, instance.spec, randomFactors(shape, instance.spec, seed));
  return { instance, panels: panelsOf(instance), dense };
}
