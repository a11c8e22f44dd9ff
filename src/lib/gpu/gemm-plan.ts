/**
 * Turns one strided batched product C = A·Bᵀ into dispatches: gemv.wgsl for a few rows (tokens),
 * where streaming the weights is all that matters; otherwise gemm.wgsl with a tile shape picked
 * from the product's size, splitting K when too few workgroups would cover the GPU.
 */
import type { DType } from '../structures/types';
import type { Specialisation } from './shaders';
import type { Step, TensorDecl } from './plan-types';

/** Where a K-contiguous operand's element (z = (outer, inner), row, k) lives. */
export interface OperandView {
  tensor: string;
  off?: number;
  ld: number;
  outer?: number;
  inner?: number;
}

/** Where an output element (z, row, col) is stored: off + outer·o + inner·i + row·ld + col·col. */
export interface OutputView extends OperandView {
  col?: number;
}

export interface GemmProblem {
  M: number;
  N: number;
  K: number;
  /** two-level batch, z = outer · batchInner + inner */
  batchOuter?: number;
  batchInner?: number;
  A: OperandView;
  B: OperandView;
  C: OutputView;
}

/** Workgroup shape (threads), register block and K-tile depth of one GEMM configuration. */
export interface GemmTile {
  wgX: number;
  wgY: number;
  tm: number;
  tn: number;
  bk: number;
}

/** 64 × 64 tiles, 4 × 4 per thread: enough tokens, moderate width. */
const WIDE: GemmTile = { wgX: 16, wgY: 16, tm: 4, tn: 4, bk: 16 };

/** 128 × 128 tiles, 8 × 8 per thread: large products, twice the reuse of each loaded value. */
const LARGE: GemmTile = { wgX: 16, wgY: 16, tm: 8, tn: 8, bk: 16 };

/** Few tokens: a short M tile (4·tm rows) and 64 columns, so little work is wasted on padding. */
function skinnyTile(M: number): GemmTile {
  return { wgX: 64, wgY: 4, tm: M <= 8 ? 2 : 4, tn: 1, bk: 32 };
}

export function chooseGemmTile(M: number, N: number): GemmTile {
  if (M <= 16) return skinnyTile(M);
  return M >= 256 && N >= 128 ? LARGE : WIDE;
}

/**
 * Up to this many rows a product goes to gemv.wgsl. Measured on an H100 (docs/perf.md): at
 * T=1 gemv streams weights at 72–89 % of copy bandwidth, twice the tiled GEMM; at T=16 its
 * per-row reads of X make it half as fast as the short GEMM tile.
 */
export const GEMV_MAX_ROWS = 4;
const GEMV = { lanes: 32, cols: 8 };

/**
 * Below this many workgroups a GEMM splits K so that the GPU has enough work in flight (tens
 * to hundreds of tokens make only a few row tiles). 2048 ≈ 16 workgroups per SM of a 132-SM
 * H100; smaller GPUs just queue them.
 */
const TARGET_WORKGROUPS = 2048;

export interface GemmContext {
  dtype: DType;
  /** adds a scratch tensor to the plan (split-K partial sums) */
  addTensor(name: string, decl: TensorDecl): void;
}

export function gemmSteps(name: string, g: GemmProblem, ctx: GemmContext): Step[] {
  const outer = g.batchOuter ?? 1;
  const inner = g.batchInner ?? 1;
  const batches = outer * inner;
  const a = g.A;
  const b = g.B;
  const stridesOf = (c: OutputView & { split: number }, kPerSplit: number, splits: number) => [
    g.M, g.N, g.K, inner, kPerSplit, splits,
    a.off ?? 0, a.ld, a.outer ?? 0, a.inner ?? 0,
    b.off ?? 0, b.ld, b.outer ?? 0, b.inner ?? 0,
    c.off ?? 0, c.ld, c.col ?? 1, c.outer ?? 0, c.inner ?? 0, c.split,
  ];
  if (g.M <= GEMV_MAX_ROWS) {
    return [{
      name,
      kernel: 'gemv',
      spec: { dtype: ctx.dtype, tm: 2 ** Math.ceil(Math.log2(g.M)) },
      overrides: { LANES: GEMV.lanes, COLS: GEMV.cols },
      bindings: [a.tensor, b.tensor, g.C.tensor],
      params: stridesOf({ ...g.C, split: 0 }, g.K, 1),
      workgroups: [Math.ceil(g.N / GEMV.cols), 1, batches],
    }];
  }
  const tile = chooseGemmTile(g.M, g.N);
  const bm = tile.wgY * tile.tm;
  const bn = tile.wgX * tile.tn;
  const wgX = Math.ceil(g.N / bn);
  const wgY = Math.ceil(g.M / bm);
  const covering = wgX * wgY * batches;
  const maxSplits = Math.max(1, Math.floor(g.K / (4 * tile.bk)));
  let splits = Math.min(maxSplits, Math.ceil(TARGET_WORKGROUPS / covering));
  const kPerSplit = Math.ceil(g.K / splits / tile.bk) * tile.bk;
  splits = Math.ceil(g.K / kPerSplit);

  const spec: Specialisation = { dtype: ctx.dtype, tm: tile.tm, tn: tile.tn, f32Out: splits > 1 };
  const overrides = { WG_X: tile.wgX, WG_Y: tile.wgY, BK: tile.bk };
  const perSplit = batches * g.M * g.N;
  const partials = `${name}:partials`;
  const c = splits > 1
    ? { tensor: partials, off: 0, ld: g.N, col: 1, outer: inner * g.M * g.N, inner: g.M * g.N, split: perSplit }
    : { ...g.C, split: 0 };
  const gemm: Step = {
    name,
    kernel: 'gemm',
    spec,
    overrides,
    bindings: [a.tensor, b.tensor, c.tensor],
    params: stridesOf(c, kPerSplit, splits),
    workgroups: [wgX, wgY, batches * splits],
  };
  if (splits === 1) return [gemm];
  ctx.addTensor(partials, { elements: splits * perSplit, role: 'intermediate', f32: true });
  const C = g.C;
  return [
    gemm,
    {
      name: `${name} (split-K ×${splits} reduce)`,
      kernel: 'split-reduce',
      spec: { dtype: ctx.dtype },
      overrides: {},
      bindings: [partials, C.tensor],
      params: [g.M, g.N, batches, inner, splits, C.off ?? 0, C.ld, C.col ?? 1, C.outer ?? 0, C.inner ?? 0],
      workgroups: grid1d(perSplit),
    },
  ];
}

/** Workgroups for one thread per element, 256 threads each, folded into two dimensions. */
export function grid1d(elements: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(elements / 256));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}
