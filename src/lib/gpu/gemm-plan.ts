/**
 * Turns one strided batched product C = A·Bᵀ into dispatches: gemv.wgsl for a few rows (tokens),
 * where streaming the weights is all that matters; otherwise gemm.wgsl with a tile shape picked
 * from the product's size. A GEMM splits K into as many ranges as fill its last wave of workgroups,
 * gemv where too few workgroups would cover the GPU.
 */
import type { DType } from '../structures/types';
import type { MatrixUnit, MmaSpec, Specialisation } from './shaders';
import type { Step, TensorDecl } from './plan-types';

/**
 * Where an operand's element (z = (outer, inner), row, k) lives: off + outer·o + inner·i +
 * row·ld + k·ks. Only A may have ks ≠ 1 (K-major, as BLAST perm-fused reads its intermediates).
 */
export interface OperandView {
  tensor: string;
  off?: number;
  ld: number;
  ks?: number;
  outer?: number;
  inner?: number;
}

/**
 * Where an output element (z, row, col) is stored: off + outer·o + inner·i + row·ld + col·col,
 * or, with `group`, the columns in groups of `cols` that lie `stride` apart: col div cols ·
 * stride + col mod cols · col (Monarch's stage 1 stores each block of R/b columns elsewhere).
 */
export interface OutputView extends OperandView {
  col?: number;
  group?: { cols: number; stride: number };
}

/** The C columns' grouping as gemm-io.wgsl's and split-reduce.wgsl's parameters: one group of N where none. */
function groupParams(C: OutputView, N: number): { c_group: number; c_group_stride: number } {
  return C.group ? { c_group: C.group.cols, c_group_stride: C.group.stride } : { c_group: N, c_group_stride: 0 };
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

/** 64 × 64 tiles, 4 × 4 per thread: products of 17–255 rows, and the fallback where no other fits. */
const WIDE: GemmTile = { wgX: 16, wgY: 16, tm: 4, tn: 4, bk: 16 };

/** 128 × 128 tiles, 8 × 8 per thread: large products, twice the reuse of each loaded value. */
const LARGE: GemmTile = { wgX: 16, wgY: 16, tm: 8, tn: 8, bk: 16 };

/**
 * 128 × 64 tiles, 8 × 4 per thread: many rows and fewer than LARGE_FROM_COLUMNS columns
 * (Monarch's stages and low-rank's first product at small ranks, R < 256 or m/b < 256),
 * where 128 × 128 tiles would leave many of their columns empty. K tiles of 8, and element
 * loads: its blocks of 4 rows × 4 k do not deal out evenly to its threads
 * (docs/decisions.md#tile-shapes, docs/decisions.md#wide-loads).
 */
const TALL: GemmTile = { wgX: 16, wgY: 16, tm: 8, tn: 4, bk: 8 };

export const GEMM_TILES = { WIDE, LARGE, TALL } as const;

/**
 * From this many columns a product of many rows takes the 128 × 128 tile: with its 16-byte
 * loads it outruns the 128 × 64 tile even where a few of its columns are empty
 * (docs/decisions.md#tile-shapes).
 */
const LARGE_FROM_COLUMNS = 256;

/** Whether an M × N product gets the 128 × 128 tile (which fits every adapter's workgroup memory). */
export function takesLargeTile(M: number, N: number): boolean {
  return M >= 256 && N >= LARGE_FROM_COLUMNS;
}

/**
 * The tile for an M × N product (WIDE below 256 rows; from there TALL, or LARGE for wide
 * products), and its k-row padding (gemm-core.wgsl's PAD: one vector per k row against bank
 * conflicts) where the padded tile fits the adapter's workgroup memory. LARGE fits WebGPU's
 * minimum of 16 KB only unpadded.
 */
export function chooseGemmTile(M: number, N: number, workgroupBytes: number): { tile: GemmTile; pad: 0 | 1 } {
  const preferred = M < 256 ? WIDE : takesLargeTile(M, N) ? LARGE : TALL;
  for (const tile of [preferred, WIDE]) {
    for (const pad of [1, 0] as const) if (tileWorkgroupBytes(tile, pad) <= workgroupBytes) return { tile, pad };
  }
  throw new Error(`no GEMM tile fits ${workgroupBytes} B of workgroup memory`);
}

/** Workgroup-memory vector width of a register block (gemm-core.wgsl): 4 when both sides allow it. */
function tileVectorWidth(t: { tm: number; tn: number }): 1 | 4 {
  return t.tm % 4 === 0 && t.tn % 4 === 0 ? 4 : 1;
}

/** Bytes of workgroup memory gemm-core.wgsl's A and B tiles take (f32 vectors, `pad` per k row). */
export function tileWorkgroupBytes(t: GemmTile, pad: 0 | 1): number {
  const vw = tileVectorWidth(t);
  return 4 * vw * t.bk * ((t.wgY * t.tm) / vw + pad + (t.wgX * t.tn) / vw + pad);
}

/**
 * The staging vectors one thread of the tile holds per K tile (PREFETCH): with element loads
 * (gemm-load.wgsl), the vectors of A or of B, the larger side; with 16-byte loads
 * (gemm-load-wide.wgsl), 4 per block of 4 rows × 4 k, A's and B's blocks dealt out together.
 */
function tileLoadsPerThread(t: GemmTile, wide: boolean): number {
  const threads = t.wgX * t.wgY;
  if (wide) return 4 * Math.ceil(wideBlocks(t) / threads);
  const side = Math.max(t.wgY * t.tm, t.wgX * t.tn) / tileVectorWidth(t);
  return Math.ceil((side * t.bk) / threads);
}

/**
 * A dispatch of gemm-core.wgsl's tile loop over an M × N output: its compile-time constants
 * (register block, vector width, and staging registers sized to the tile exactly, since the
 * loop is sensitive to every register: docs/decisions.md#staging-sized-to-tile), its pipeline
 * overrides and its workgroups.
 */
export function tileDispatch(t: GemmTile, pad: 0 | 1, dtype: DType, M: number, N: number, wide = false) {
  if (wide && (tileVectorWidth(t) !== 4 || t.bk % 4 !== 0)) throw new Error('16-byte tile loads need a tile of vec4 and K tiles in fours');
  return {
    spec: { dtype, tm: t.tm, tn: t.tn, vw: tileVectorWidth(t), prefetch: tileLoadsPerThread(t, wide), wideInputs: wide } satisfies Specialisation,
    overrides: { WG_X: t.wgX, WG_Y: t.wgY, BK: t.bk, PAD: pad },
    grid: [Math.ceil(N / (t.wgX * t.tn)), Math.ceil(M / (t.wgY * t.tm))] as [number, number],
  };
}

/**
 * Up to this many rows a product goes to gemv.wgsl, which streams each weight row once and
 * stages the token rows in workgroup memory: at so few rows the weights are nearly all the
 * traffic (docs/decisions.md#gemv-for-few-tokens).
 */
export const GEMV_MAX_ROWS = 16;

/** gemv.wgsl's launch shape: threads per weight row, weight rows per workgroup, vectors of B per lane per stage. */
export interface GemvShape {
  lanes: number;
  cols: number;
  unroll: number;
}

/**
 * gemv's launch shape for a register block of tm token rows (docs/decisions.md#gemv-launch-shape):
 * up to 8 rows, 16 lanes share a weight row (8 vectors each per stage up to 2 rows, 4 up to 8);
 * at 16 rows one thread walks a whole weight row, so no lanes are added up, and 64 weight rows
 * share each staged token vector, which reads the token rows a quarter as often. Every shape
 * fits WebGPU's minimum 16 KB of workgroup memory.
 */
function gemvShape(tm: number): GemvShape {
  if (tm <= 2) return { lanes: 16, cols: 16, unroll: 8 };
  if (tm <= 8) return { lanes: 16, cols: 16, unroll: 4 };
  return { lanes: 1, cols: 64, unroll: 8 };
}

/** Workgroup memory of a gemv launch: the staged token rows (f32 vectors of vw) and the lanes' sums. */
export function gemvWorkgroupBytes(s: GemvShape, tm: number, vw: number): number {
  return 4 * (tm * s.lanes * s.unroll * vw + s.lanes * s.cols * tm);
}

/** Whether A and B can be read as vec4: K-contiguous, every row starts at a multiple of 4 elements and K is one. */
function rowsAligned(g: GemmProblem): boolean {
  const { A: a, B: b } = g;
  return (a.ks ?? 1) === 1 && [g.K, a.ld, a.off ?? 0, a.outer ?? 0, a.inner ?? 0, b.ld, b.off ?? 0, b.outer ?? 0, b.inner ?? 0].every((v) => v % 4 === 0);
}

/**
 * Below this many workgroups gemv splits K so that the GPU has enough work in flight (few
 * columns with a long K): its workgroups (64–256 threads) each stream 16–64 weight rows. More
 * splits cost more in partial sums than they gain (docs/decisions.md#gemv-split-k).
 */
const GEMV_TARGET_WORKGROUPS = 1024;

/**
 * The wave size waveSplits assumes for each GEMM tile, in workgroups: twice and four times the
 * 132 SMs of the GPU they were chosen on, where smaller waves split too little. WebGPU exposes
 * neither SMs nor occupancy, so every GPU gets these sizes; a smaller one only queues more
 * waves (docs/decisions.md#split-k-by-waves).
 */
const WAVE_WORKGROUPS = new Map<GemmTile, number>([[LARGE, 264], [TALL, 528], [WIDE, 528]]);

function waveOf(tile: GemmTile): number {
  const wave = WAVE_WORKGROUPS.get(tile);
  if (wave === undefined) throw new Error('a GEMM tile without a wave size: add it to WAVE_WORKGROUPS');
  return wave;
}

/**
 * Split count of a GEMM by wave quantisation: the GPU runs its workgroups in waves of
 * `wave`, each as long as one split's K tiles plus about two more (the prologue, and
 * split-reduce's pass over the partial sums), so s splits cost ⌈s · workgroups / wave⌉ ·
 * (K/s + 2 K tiles). The fewest splits within 3 % of the least cost: splits that fill the last
 * wave, and no more.
 */
export function waveSplits(workgroups: number, K: number, kStep: number, maxSplits: number, wave: number): number {
  const cost = (s: number) => Math.ceil((s * workgroups) / wave) * (Math.ceil(K / s / kStep) * kStep + 2 * kStep);
  let least = Infinity;
  for (let s = 1; s <= maxSplits; s++) least = Math.min(least, cost(s));
  let s = 1;
  while (cost(s) > 1.03 * least) s++;
  return s;
}

/**
 * gemm-mma.wgsl's tiles, preferred first: 2 × 2 subgroups, each with 4 × 4 fragments (a 128 ×
 * 128 tile of 16 × 16 fragments), or 2 × 2 where fewer rows or columns would leave most of the
 * larger tile empty, or the workgroup memory does not hold it.
 */
export interface MmaTile {
  sgM: number;
  sgN: number;
  tm: number;
  tn: number;
  bk: number;
  /**
   * K tiles held in workgroup memory at once (1 where not given): with 2, the next tile is
   * stored beside the one being multiplied, one barrier a tile instead of two, for twice the
   * staging memory
   */
  stages?: 1 | 2;
}

const MMA_LARGE: MmaTile = { sgM: 2, sgN: 2, tm: 4, tn: 4, bk: 32 };
const MMA_SMALL: MmaTile = { sgM: 2, sgN: 2, tm: 2, tn: 2, bk: 32 };

/** Rows of padding gemm-mma.wgsl adds to each staged row of BK elements (its KPAD). */
const MMA_KPAD = 8;

export function mmaWorkgroupBytes(t: MmaTile, unit: MatrixUnit, dtype: DType): number {
  const bm = t.sgM * t.tm * unit.m;
  const bn = t.sgN * t.tn * unit.n;
  const staged = (t.stages ?? 1) * (bm + bn) * (t.bk + MMA_KPAD) * (dtype === 'f16' ? 2 : 4);
  return staged + t.sgM * t.sgN * unit.m * unit.n * (unit.result === 'f16' ? 2 : 4);
}

export function chooseMmaTile(M: number, N: number, unit: MatrixUnit, dtype: DType, workgroupBytes: number): MmaTile {
  const fits = (t: MmaTile) => mmaWorkgroupBytes(t, unit, dtype) <= workgroupBytes;
  const large = M > 2 * 64 && N > 2 * 64;
  for (const t of large ? [MMA_LARGE, MMA_SMALL] : [MMA_SMALL]) if (fits(t)) return t;
  for (const bk of [16, unit.k]) {
    const t = { ...MMA_SMALL, tm: 1, tn: 1, bk };
    if (fits(t)) return t;
  }
  throw new Error(`no matrix-unit tile fits ${workgroupBytes} B of workgroup memory`);
}

/** A gemm-mma.wgsl dispatch of `t` over an M × N output: its specialisation and workgroups. */
export function mmaDispatch(t: MmaTile, unit: MatrixUnit, subgroupSize: number, dtype: DType, M: number, N: number, wide: boolean) {
  const threads = t.sgM * t.sgN * subgroupSize;
  const bm = t.sgM * t.tm * unit.m;
  const bn = t.sgN * t.tn * unit.n;
  const mma: MmaSpec = { unit, sgM: t.sgM, sgN: t.sgN, bk: t.bk, subgroupSize, ...(t.stages === 2 ? { stages: 2 } : {}) };
  return {
    spec: { dtype, tm: t.tm, tn: t.tn, mma, wideInputs: wide, prefetch: Math.ceil(((bm + bn) * t.bk) / 4 / threads) } satisfies Specialisation,
    grid: [Math.ceil(N / bn), Math.ceil(M / bm)] as [number, number],
  };
}

/** One kernel's launch before K is split: its specialisation, workgroups per batch, and the K granularity of a split. */
interface Launch {
  kernel: 'gemm' | 'gemv' | 'gemm-mma';
  spec: Specialisation;
  overrides: Record<string, number>;
  grid: [number, number];
  kStep: number;
  /** the wave size of the GEMM tile, in workgroups (none for gemv) */
  wave?: number;
}

function gemvLaunch(g: GemmProblem, ctx: GemmContext): Launch {
  const tm = 2 ** Math.ceil(Math.log2(g.M));
  const vw = rowsAligned(g) ? 4 : 1;
  const shape = gemvShape(tm);
  const bytes = gemvWorkgroupBytes(shape, tm, vw);
  if (bytes > ctx.workgroupBytes) {
    throw new Error(`gemv's launch for ${tm} rows needs ${bytes} B of workgroup memory, over ${ctx.workgroupBytes}`);
  }
  return {
    kernel: 'gemv',
    spec: { dtype: ctx.dtype, tm, vw, wideInputs: vw === 4, unroll: shape.unroll, prefetch: Math.ceil((tm * shape.unroll) / shape.cols) },
    overrides: { LANES: shape.lanes, COLS: shape.cols },
    grid: [Math.ceil(g.N / shape.cols), 1],
    kStep: shape.lanes * shape.unroll * vw,
  };
}

/** Blocks of 4 rows × 4 k in one K tile of A and B together (gemm-load-wide.wgsl's unit of loading). */
function wideBlocks(t: GemmTile): number {
  return ((t.wgY * t.tm) / 4 + (t.wgX * t.tn) / 4) * (t.bk / 4);
}

/**
 * Whether the product reads A and B with 16-byte loads (gemm-load-wide.wgsl): the tile holds
 * vec4, every row is aligned, and the tile's blocks deal out evenly to its threads (of the
 * three tiles, the 128 × 128 one). Where some threads would have no block they idle while the
 * rest load and transpose, and the element loads are as fast (docs/decisions.md#wide-loads).
 */
function readsWide(g: GemmProblem, tile: GemmTile): boolean {
  return wideLoadsFill(tile) && rowsAligned(g);
}

/** Whether a tile holds vec4 and its blocks of 4 rows × 4 k deal out evenly to its threads (16-byte loads, where the rows are aligned). */
export function wideLoadsFill(tile: GemmTile): boolean {
  return tileVectorWidth(tile) === 4 && wideBlocks(tile) % (tile.wgX * tile.wgY) === 0;
}

function gemmLaunch(g: GemmProblem, ctx: GemmContext): Launch {
  const { tile, pad } = chooseGemmTile(g.M, g.N, ctx.workgroupBytes);
  return { kernel: 'gemm', ...tileDispatch(tile, pad, ctx.dtype, g.M, g.N, readsWide(g, tile)), kStep: tile.bk, wave: waveOf(tile) };
}

/**
 * The wave size waveSplits assumes for gemm-mma's tiles: two workgroups for each of an
 * H100's or H200's 132 SMs (WebGPU exposes neither SMs nor occupancy).
 */
const MMA_WAVE_WORKGROUPS = 264;

function mmaLaunch(g: GemmProblem, ctx: GemmContext, unit: MatrixUnit): Launch {
  const tile = ctx.mmaTile ?? chooseMmaTile(g.M, g.N, unit, ctx.dtype, ctx.workgroupBytes);
  const { spec, grid } = mmaDispatch(tile, unit, ctx.subgroupSize ?? 32, ctx.dtype, g.M, g.N, rowsAligned(g));
  return { kernel: 'gemm-mma', spec, overrides: {}, grid, kStep: tile.bk, wave: MMA_WAVE_WORKGROUPS };
}

export interface GemmContext {
  dtype: DType;
  /** the adapter's maxComputeWorkgroupStorageSize */
  workgroupBytes: number;
  /** the largest tensor the adapter binds (bytes): split-K's partial sums must fit it */
  bindingBytes: number;
  /** adds a scratch tensor to the plan (split-K partial sums) */
  addTensor(name: string, decl: TensorDecl): void;
  /** products of more than GEMV_MAX_ROWS rows run on these matrix units (gemm-mma.wgsl) where given */
  matrix?: MatrixUnit;
  /** threads of a subgroup, for gemm-mma's workgroups (32 where not given) */
  subgroupSize?: number;
  /** gemm-mma's tile for every product, instead of chooseMmaTile's (for measuring tiles) */
  mmaTile?: MmaTile;
  /** false: never split K (the cost model's ideal adapter) */
  splitK?: boolean;
}

export function gemmSteps(name: string, g: GemmProblem, ctx: GemmContext): Step[] {
  if ((g.B.ks ?? 1) !== 1) throw new Error(`${name}: B must be K-contiguous (ks = 1)`);
  const outer = g.batchOuter ?? 1;
  const inner = g.batchInner ?? 1;
  const batches = outer * inner;
  const a = g.A;
  const b = g.B;
  const launch = g.M <= GEMV_MAX_ROWS ? gemvLaunch(g, ctx) : ctx.matrix ? mmaLaunch(g, ctx, ctx.matrix) : gemmLaunch(g, ctx);
  if (g.C.group && launch.kernel === 'gemv') throw new Error(`${name}: gemv.wgsl stores no column groups (a grouped C needs more than ${GEMV_MAX_ROWS} rows)`);
  const covering = launch.grid[0] * launch.grid[1] * batches;
  // Each split adds batches·M·N f32 partial sums, all in one tensor that must fit a binding.
  const maxSplits = ctx.splitK === false ? 1 : Math.max(1, Math.min(Math.floor(g.K / (4 * launch.kStep)), Math.floor(ctx.bindingBytes / (4 * batches * g.M * g.N))));
  let splits = launch.wave
    ? waveSplits(covering, g.K, launch.kStep, maxSplits, launch.wave)
    : Math.min(maxSplits, Math.ceil(GEMV_TARGET_WORKGROUPS / covering));
  const kPerSplit = Math.ceil(g.K / splits / launch.kStep) * launch.kStep;
  splits = Math.ceil(g.K / kPerSplit);

  const perSplit = batches * g.M * g.N;
  const partials = `${name}:partials`;
  const c = splits > 1
    ? { tensor: partials, off: 0, ld: g.N, col: 1, outer: inner * g.M * g.N, inner: g.M * g.N, split: perSplit }
    : { ...g.C, split: 0 };
  // Batches whose columns interleave in C (a column stride > 1: Monarch's stage-2 store) go
  // first in the launch order, so that their stores to one output tile meet in L2 (gemm.wgsl).
  const batchFirst = launch.kernel !== 'gemv' && batches > 1 && (c.col ?? 1) > 1;
  const product: Step = {
    name,
    kernel: launch.kernel,
    spec: { ...launch.spec, f32Out: splits > 1 },
    overrides: {
      ...launch.overrides,
      ...(c.group ? { C_GROUPED: 1 } : {}),
      ...(batchFirst ? { BATCH_FIRST: 1 } : {}),
      ...(launch.kernel === 'gemm-mma' && c.ld === 1 && g.M > 1 ? { C_ROWS_FIRST: 1 } : {}),
    },
    bindings: { A: a.tensor, B: b.tensor, C: c.tensor },
    params: {
      M: g.M, N: g.N, K: g.K, batchInner: inner, kPerSplit, splits,
      a_off: a.off ?? 0, a_ld: a.ld, a_ks: a.ks ?? 1, a_outer: a.outer ?? 0, a_inner: a.inner ?? 0,
      b_off: b.off ?? 0, b_ld: b.ld, b_outer: b.outer ?? 0, b_inner: b.inner ?? 0,
      c_off: c.off ?? 0, c_ld: c.ld, c_col: c.col ?? 1, c_outer: c.outer ?? 0, c_inner: c.inner ?? 0, c_split: c.split, ...groupParams(c, g.N),
    },
    workgroups: batchFirst ? [batches * splits, launch.grid[0], launch.grid[1]] : [launch.grid[0], launch.grid[1], batches * splits],
    flops: 2 * batches * g.M * g.N * g.K,
  };
  if (splits === 1) return [product];
  ctx.addTensor(partials, { elements: splits * perSplit, role: 'intermediate', f32: true });
  return [product, splitReduceStep(`${name} (split-K ×${splits} reduce)`, partials, g.C, g.M, g.N, outer, inner, splits, ctx.dtype)];
}

/**
 * split-reduce.wgsl's step: adds up `splits` slices of f32 partial sums, each laid out
 * [z][row][col] over outer · inner batches of M × N, and stores them into C's view.
 */
export function splitReduceStep(name: string, partials: string, C: OutputView, M: number, N: number,
  outer: number, inner: number, splits: number, dtype: DType): Step {
  return {
    name,
    kernel: 'split-reduce',
    spec: { dtype },
    overrides: {},
    bindings: { partial: partials, C: C.tensor },
    params: {
      M, N, batches: outer * inner, batchInner: inner, splits,
      c_off: C.off ?? 0, c_ld: C.ld, c_col: C.col ?? 1, c_outer: C.outer ?? 0, c_inner: C.inner ?? 0, ...groupParams(C, N),
    },
    workgroups: grid1d(outer * inner * M * N),
    flops: 0,
  };
}

/** Workgroups for one thread per element, 256 threads each, folded into two dimensions. */
export function grid1d(elements: number): [number, number, number] {
  return foldGrid(Math.max(1, Math.ceil(elements / 256)));
}

/** `groups` workgroups as x × y, x at most WebGPU's 65535 a dimension (the kernel unfolds them). */
export function foldGrid(groups: number): [number, number, number] {
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}
