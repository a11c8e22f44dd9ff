/**
 * The registry: (structure, strategy, dtype) → dispatch plan. The runtime, the CLI and the UI
 * all ask this one place how a layer runs, and the dispatch names match the cost model's.
 * Layout conventions: X (T, n) and Y (T, m) row-major; intermediates (blocks, T, width).
 */
import type { Factors, Problem, Strategy, StructureKind } from '../structures/types';
import { STRATEGIES } from '../structures/types';
import { assertValid, formatBytes, largestBinding } from '../structures/validate';
import { gemmSteps, grid1d, type MmaTile, splitReduceStep, takesLargeTile, tileDispatch, tileWorkgroupBytes, wideLoadsFill, type GemmProblem, type GemmTile } from './gemm-plan';
import { monarchW1Regrouped, transposeBatched } from './layouts';
import type { Plan, Step, TensorDecl } from './plan-types';
import type { MatrixUnit, Specialisation } from './shaders';
import type { PlanInfo } from './types';

/**
 * Adapter limits the planner needs (any GPUSupportedLimits satisfies this), and the matrix
 * units its products run on, where they do (gemm-plan.ts).
 */
export interface PlanLimits {
  maxComputeWorkgroupStorageSize: number;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  matrix?: MatrixUnit;
  subgroupSize?: number;
  /** gemm-mma's tile for every product (for measuring tiles; by default gemm-plan.ts chooses) */
  mmaTile?: MmaTile;
  /** false: no product or block sum is split into partial sums (the cost model's ideal adapter) */
  splitK?: boolean;
}

class PlanBuilder {
  readonly tensors: Record<string, TensorDecl> = {};
  readonly steps: Step[] = [];
  constructor(
    readonly problem: Problem,
    readonly limits: PlanLimits,
  ) {
    const { m, n, tokens } = problem.shape;
    this.tensor('X', tokens * n, 'input');
    this.tensor('Y', tokens * m, 'output');
  }
  /** declares a tensor; `f32` keeps it in f32 whatever the dtype (split partial sums) */
  tensor(name: string, elements: number, role: TensorDecl['role'], f32 = false): void {
    this.tensors[name] = f32 ? { elements, role, f32 } : { elements, role };
  }
  gemm(name: string, g: GemmProblem): void {
    const ctx = {
      dtype: this.problem.dtype,
      workgroupBytes: this.limits.maxComputeWorkgroupStorageSize,
      bindingBytes: largestBinding(this.limits),
      addTensor: (t: string, d: TensorDecl) => (this.tensors[t] = d),
      matrix: this.limits.matrix,
      subgroupSize: this.limits.subgroupSize,
      mmaTile: this.limits.mmaTile,
      splitK: this.limits.splitK,
    };
    this.steps.push(...gemmSteps(name, g, ctx));
  }
  /** out[i0][i1][i2][i3] = src[i0·s0 + i1·s1 + i2·s2 + i3·s3] over output dims (·, d1, d2, d3). */
  permute(name: string, src: string, dst: string, dims: [number, number, number], strides: [number, number, number, number]): void {
    const total = this.tensors[dst].elements;
    this.steps.push({
      name,
      kernel: 'permute',
      spec: { dtype: this.problem.dtype },
      overrides: {},
      bindings: { src, dst },
      params: { d1: dims[0], d2: dims[1], d3: dims[2], total, s0: strides[0], s1: strides[1], s2: strides[2], s3: strides[3] },
      flops: 0,
      workgroups: grid1d(total),
    });
  }
  /** A dispatch in the problem's dtype, with any other compile-time constants it needs. */
  step(s: Omit<Step, 'spec'> & { spec?: Omit<Specialisation, 'dtype'> }): void {
    this.steps.push({ ...s, spec: { ...s.spec, dtype: this.problem.dtype } });
  }
}

type Built = { steps: Step[]; tensors: Record<string, TensorDecl>; layoutWeights: Plan['layoutWeights'] };
/** A builder returns the plan, or a reason it cannot run on this adapter (then the plan falls back). */
type Builder = (p: Problem, limits: PlanLimits) => Built | { unfit: string };

const bytesOf = (p: Problem) => (p.dtype === 'f16' ? 2 : 4);
const knobs = (p: Problem) => {
  const s = p.structure;
  return { b: 'blocks' in s ? s.blocks : 1, r: 'rank' in s ? s.rank : 0 };
};
/** The factor tensors of a structure, checked to be of that structure. */
function factorsOf<K extends Factors['kind']>(f: Factors, kind: K): Extract<Factors, { kind: K }> {
  if (f.kind !== kind) throw new Error(`expected ${kind} factors, got ${f.kind}`);
  return f as Extract<Factors, { kind: K }>;
}

/**
 * Tokens per workgroup for a fused kernel holding `floatsPerToken` (× `arrays`) floats of
 * intermediate per token on chip; 0 when even one token does not fit.
 */
function tokensPerWorkgroup(floatsPerToken: number, arrays: number, limits: PlanLimits, tokens: number): number {
  const fit = Math.floor(limits.maxComputeWorkgroupStorageSize / (4 * arrays * floatsPerToken));
  return Math.min(fit, 8, tokens);
}

const denseTiled: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const pb = new PlanBuilder(p, limits);
  pb.tensor('W', m * n, 'weight');
  pb.gemm('gemm', { M: T, N: m, K: n, A: { tensor: 'X', ld: n }, B: { tensor: 'W', ld: n }, C: { tensor: 'Y', ld: m } });
  return { ...pb, layoutWeights: (f) => ({ W: factorsOf(f, 'dense').W }) };
};

/** Low-rank weights, both factors K-contiguous: V as Vt (r, n), U as is (m, r). */
const lowrankWeights = (n: number, r: number) => (f: Factors) => {
  const lr = factorsOf(f, 'lowrank');
  return { Vt: transposeBatched(lr.V, 1, n, r), U: lr.U };
};

const lowrankTiled: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { r } = knobs(p);
  const pb = new PlanBuilder(p, limits);
  pb.tensor('Vt', r * n, 'weight');
  pb.tensor('U', m * r, 'weight');
  pb.tensor('Z', T * r, 'intermediate');
  pb.gemm('gemm-v', { M: T, N: r, K: n, A: { tensor: 'X', ld: n }, B: { tensor: 'Vt', ld: n }, C: { tensor: 'Z', ld: r } });
  pb.gemm('gemm-u', { M: T, N: m, K: r, A: { tensor: 'Z', ld: r }, B: { tensor: 'U', ld: r }, C: { tensor: 'Y', ld: m } });
  return { ...pb, layoutWeights: lowrankWeights(n, r) };
};

const lowrankFused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { r } = knobs(p);
  const tpw = tokensPerWorkgroup(r, 1, limits, T);
  if (tpw < 1) return { unfit: `z needs ${4 * r} B of workgroup memory per token, over this adapter's ${limits.maxComputeWorkgroupStorageSize} B` };
  const pb = new PlanBuilder(p, limits);
  pb.tensor('Vt', r * n, 'weight');
  pb.tensor('U', m * r, 'weight');
  pb.step({
    name: 'fused',
    kernel: 'fused-lowrank',
    overrides: { TOKENS_PER_WG: tpw, Z_SIZE: tpw * r },
    bindings: { X: 'X', Vt: 'Vt', U: 'U', Y: 'Y' },
    params: { tokens: T, n, m, rank: r },
    flops: 2 * T * r * (m + n),
    workgroups: [Math.ceil(T / tpw), 1, 1],
  });
  // Each thread walks one row of Vt and of U, faster than the layout where neighbouring
  // threads read neighbouring words (docs/decisions.md#lowrank-fused-layout).
  return { ...pb, layoutWeights: lowrankWeights(n, r) };
};

const monarchAsIs = (f: Factors) => {
  const mo = factorsOf(f, 'monarch');
  return { W1: mo.W1, W2: mo.W2 };
};

/** PyTorch eager: bmm, .contiguous() of the permuted intermediate, bmm, output permute. */
const monarchUnfused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r: R } = knobs(p);
  const [pIn, s, pbr] = [n / b, m / b, R / b];
  const pb = new PlanBuilder(p, limits);
  pb.tensor('W1', R * n, 'weight');
  pb.tensor('W2', m * R, 'weight');
  pb.tensor('out1', b * T * R, 'intermediate');
  pb.tensor('out1p', b * T * R, 'intermediate');
  pb.tensor('out2', T * m, 'intermediate');
  pb.gemm('stage1-bmm', {
    M: T, N: R, K: pIn, batchOuter: b,
    A: { tensor: 'X', ld: n, outer: pIn }, B: { tensor: 'W1', ld: pIn, outer: R * pIn }, C: { tensor: 'out1', ld: R, outer: T * R },
  });
  // out1p[j][t][k·R/b + u] = out1[k][t][u·b + j]
  pb.permute('permute', 'out1', 'out1p', [T, b, pbr], [1, R, T * R, b]);
  pb.gemm('stage2-bmm', {
    M: T, N: s, K: R, batchOuter: b,
    A: { tensor: 'out1p', ld: R, outer: T * R }, B: { tensor: 'W2', ld: R, outer: s * R }, C: { tensor: 'out2', ld: s, outer: T * s },
  });
  // Y[t][si·b + j] = out2[j][t][si]
  pb.permute('output-permute', 'out2', 'Y', [T, s, b], [0, s, 1, T * s]);
  return { ...pb, layoutWeights: monarchAsIs };
};

/**
 * Whether Monarch partial's stage 1 runs as b products of R columns with a grouped store rather
 * than b² products of R/b columns: only where that gives it the 128 × 128 tile that the narrow
 * products cannot take; where the tile stays the same the grouped store's division gains
 * nothing (docs/decisions.md#monarch-stage1-grouped).
 */
function monarchStage1Grouped(T: number, R: number, pbr: number): boolean {
  return takesLargeTile(T, R) && !takesLargeTile(T, pbr);
}

/** The paper's right_left: stage 1 stores straight into stage 2's blocks, stage 2 interleaves. */
const monarchPartial: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r: R } = knobs(p);
  const [pIn, s, pbr] = [n / b, m / b, R / b];
  const pb = new PlanBuilder(p, limits);
  pb.tensor('W1', R * n, 'weight');
  pb.tensor('W2', m * R, 'weight');
  pb.tensor('out1', b * T * R, 'intermediate');
  // Input block k against its R rows of the regrouped W1: row j·R/b + u (stage-2 block j) lands
  // at out1[j][t][k·R/b + u].
  const X = { tensor: 'X', ld: n, outer: pIn };
  const W1 = { tensor: 'W1', ld: pIn, outer: R * pIn };
  pb.gemm('stage1-gemm', monarchStage1Grouped(T, R, pbr)
    ? // b products of R columns, stored in groups of R/b that lie T·R apart
      { M: T, N: R, K: pIn, batchOuter: b, A: X, B: W1, C: { tensor: 'out1', ld: R, outer: pbr, group: { cols: pbr, stride: T * R } } }
    : // b² products (k, j) of R/b columns
      { M: T, N: pbr, K: pIn, batchOuter: b, batchInner: b, A: X, B: { ...W1, inner: pbr * pIn }, C: { tensor: 'out1', ld: R, outer: pbr, inner: T * R } });
  pb.gemm('stage2-gemm', {
    M: T, N: s, K: R, batchOuter: b,
    A: { tensor: 'out1', ld: R, outer: T * R }, B: { tensor: 'W2', ld: R, outer: s * R }, C: { tensor: 'Y', ld: m, col: b, outer: 1 },
  });
  return {
    ...pb,
    layoutWeights: (f) => {
      const mo = factorsOf(f, 'monarch');
      return { W1: monarchW1Regrouped(mo.W1, b, R, pIn), W2: mo.W2 };
    },
  };
};

const monarchFused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r: R } = knobs(p);
  const tpw = tokensPerWorkgroup(b * R, 1, limits, T);
  if (tpw < 1) return { unfit: `the b·R = ${b * R} stage-1 values of one token need ${4 * b * R} B of workgroup memory, over this adapter's ${limits.maxComputeWorkgroupStorageSize} B` };
  const pb = new PlanBuilder(p, limits);
  pb.tensor('W1', R * n, 'weight');
  pb.tensor('W2', m * R, 'weight');
  pb.step({
    name: 'fused',
    kernel: 'fused-monarch',
    overrides: { BLOCKS: b, TOKENS_PER_WG: tpw, Z_SIZE: tpw * b * R },
    bindings: { X: 'X', W1: 'W1', W2: 'W2', Y: 'Y' },
    params: { tokens: T, n, m, rank: R },
    flops: 2 * T * R * (m + n),
    workgroups: [Math.ceil(T / tpw), 1, 1],
  });
  return { ...pb, layoutWeights: monarchAsIs };
};

/** BLAST weights as the kernels read them: V transposed per block to (b, r, n/b). */
const blastWeights = (b: number, q: number, r: number) => (f: Factors) => {
  const bl = factorsOf(f, 'blast');
  return { Vt: transposeBatched(bl.V, b, q, r), S: bl.S, U: bl.U };
};

function blastTensors(pb: PlanBuilder, b: number, r: number, n: number, m: number): void {
  pb.tensor('Vt', n * r, 'weight');
  pb.tensor('S', b * b * r, 'weight');
  pb.tensor('U', m * r, 'weight');
}

/**
 * blast-couple.wgsl's layout. Its `main` gives a thread one column of up to 4 tokens (b of Yb's
 * values per token in 64 registers) and all b output blocks, so Yb is read once and S once per
 * 4 tokens, where one thread per element of Z re-reads b values of Yb from past the L2. That
 * leaves r to 4r threads at few tokens, too few to fill a GPU, so where `main` would run fewer
 * than 2^15 threads the step keeps one thread per element of Z (`per_element`, b · T · r
 * threads) (docs/decisions.md#blast-couple-layout).
 */
const COUPLE_MIN_THREADS = 2 ** 15;
function coupleLayout(b: number, T: number, r: number): Pick<Step, 'entryPoint' | 'workgroups'> & { spec: Omit<Specialisation, 'dtype'> } {
  const tokens = Math.max(1, Math.min(4, Math.floor(64 / b)));
  const columns = Math.ceil(T / tokens) * r;
  return columns >= COUPLE_MIN_THREADS
    ? { spec: { blocks: b, tm: tokens }, workgroups: grid1d(columns) }
    : { spec: { blocks: b }, entryPoint: 'per_element', workgroups: grid1d(b * T * r) };
}

/** PyTorch eager: bmm with V, the coupling einsum, bmm with U, the output transpose copy. */
const blastUnfused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r } = knobs(p);
  const [q, pOut] = [n / b, m / b];
  const pb = new PlanBuilder(p, limits);
  blastTensors(pb, b, r, n, m);
  pb.tensor('Yb', b * T * r, 'intermediate');
  pb.tensor('Z', b * T * r, 'intermediate');
  pb.tensor('out', T * m, 'intermediate');
  pb.gemm('bmm-v', {
    M: T, N: r, K: q, batchOuter: b,
    A: { tensor: 'X', ld: n, outer: q }, B: { tensor: 'Vt', ld: q, outer: r * q }, C: { tensor: 'Yb', ld: r, outer: T * r },
  });
  pb.step({
    name: 'couple', kernel: 'blast-couple', ...coupleLayout(b, T, r), overrides: {},
    bindings: { Yb: 'Yb', S: 'S', Z: 'Z' }, params: { tokens: T, rank: r }, flops: 2 * T * b * b * r,
  });
  pb.gemm('bmm-u', {
    M: T, N: pOut, K: r, batchOuter: b,
    A: { tensor: 'Z', ld: r, outer: T * r }, B: { tensor: 'U', ld: r, outer: pOut * r }, C: { tensor: 'out', ld: pOut, outer: T * pOut },
  });
  // Y[t][i·(m/b) + si] = out[i][t][si]
  pb.permute('output-transpose', 'out', 'Y', [T, b, pOut], [0, pOut, T * pOut, 1]);
  return { ...pb, layoutWeights: blastWeights(b, q, r) };
};

/**
 * blast-partial's tile. Its accumulators, b per element of the tile, live in registers, so the
 * tile is 32 × 32 at most. Few tokens (T < 64) take a short, wide tile so little work is padding
 * (b accumulators a thread). From 64 tokens, 13–16 blocks take the grouped tile: 4 layers of
 * 8 × 8 threads with register blocks of 4 × 4, each layer computing one input block's Y tile and
 * keeping 4 output blocks' accumulators (64 a thread), with K tiles of 16 where they fit the
 * adapter's workgroup memory (padded, else unpadded), else 8. Its 4 × 4 blocks read workgroup
 * memory as vectors, where a 2 × 2 block for all b blocks reads 4 bytes per FMA. With fewer
 * blocks its 2 or 3 layers (128 or 192 threads) are too few to gain
 * (docs/decisions.md#blast-partial-grouped-tile): those keep the 16 × 16 tile of 2 × 2 blocks,
 * b · 4 accumulators a thread (1 × 1 blocks above 16 blocks, which would need more than 256
 * threads grouped).
 */
const GROUPED_LAYERS = 4;
/** Whether one layer's Y tile (TM · TN / 4 vectors a thread) fits the layers' A tiles, through which blast-partial.wgsl passes it. */
const passesThroughA = (t: GemmTile, pad: 0 | 1) => GROUPED_LAYERS * t.bk * ((t.wgY * t.tm) / 4 + pad) >= ((t.tm * t.tn) / 4) * t.wgX * t.wgY;
function blastPartialTile(blocks: number, tokens: number, workgroupBytes: number): { tile: GemmTile; groups: number; pad: 0 | 1 } {
  if (tokens < 64) return { tile: { wgX: 16, wgY: 4, tm: 1, tn: 1, bk: 32 }, groups: 1, pad: 1 };
  if (blocks > 3 * GROUPED_LAYERS && blocks <= 4 * GROUPED_LAYERS) {
    for (const [bk, pad] of [[16, 1], [16, 0], [8, 1]] as const) {
      const tile = { wgX: 8, wgY: 8, tm: 4, tn: 4, bk };
      if (GROUPED_LAYERS * tileWorkgroupBytes(tile, pad) <= workgroupBytes && passesThroughA(tile, pad)) return { tile, groups: GROUPED_LAYERS, pad };
    }
  }
  const block = blocks <= 16 ? 2 : 1;
  return { tile: { wgX: 16, wgY: 16, tm: block, tn: block, bk: 32 }, groups: 1, pad: 1 };
}

/**
 * Input blocks per workgroup z of blast-partial. Few tokens leave few tiles (⌈r/16⌉ · ⌈T/4⌉
 * below 64 tokens: 64 for r = 1024 at T ≤ 4), each walking all b input blocks, so the blocks
 * are split, whole, until about BLAST_PARTIAL_TARGET workgroups are in flight (fewer where
 * whole blocks do not divide evenly: 8 splits of 2 blocks, not 12, for 93 tiles of b = 16);
 * each split holds `zBytes` of f32 partial sums (b · T · r), all in one tensor that must fit
 * `bindingBytes`. From BLAST_SPLIT_BELOW_OUTPUTS outputs per block (T · r) on, the tiles fill
 * the GPU themselves and the partial sums only add traffic (docs/decisions.md#blast-partial-split).
 */
const BLAST_PARTIAL_TARGET = 1024;
const BLAST_SPLIT_BELOW_OUTPUTS = 2 ** 18;
function blastPartialSplitBlocks(blocks: number, workgroups: number, outputs: number, bindingBytes: number): number {
  if (outputs >= BLAST_SPLIT_BELOW_OUTPUTS) return blocks;
  const zBytes = 4 * blocks * outputs;
  const splits = Math.max(1, Math.min(blocks, Math.ceil(BLAST_PARTIAL_TARGET / workgroups), Math.floor(bindingBytes / zBytes)));
  return Math.ceil(blocks / splits);
}

const blastPartial: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r } = knobs(p);
  const [q, pOut] = [n / b, m / b];
  const { tile, groups, pad } = blastPartialTile(b, T, limits.maxComputeWorkgroupStorageSize);
  // 16-byte loads of X and Vt where every row of a block starts aligned (n/b a multiple of 4).
  const { spec, overrides, grid } = tileDispatch(tile, pad, p.dtype, T, r, groups > 1 && q % 4 === 0 && wideLoadsFill(tile));
  // A split takes whole steps of `groups` input blocks.
  const splitBlocks = limits.splitK === false ? b : Math.ceil(blastPartialSplitBlocks(b, grid[0] * grid[1], T * r, largestBinding(limits)) / groups) * groups;
  const splits = Math.ceil(b / splitBlocks);
  const pb = new PlanBuilder(p, limits);
  blastTensors(pb, b, r, n, m);
  pb.tensor('Z', b * T * r, 'intermediate');
  if (splits > 1) pb.tensor('Z:partials', splits * b * T * r, 'intermediate', true);
  pb.steps.push({
    name: 'xvs-sum',
    kernel: 'blast-partial',
    spec: { ...spec, blocks: b, groups, f32Out: splits > 1 },
    overrides: { ...overrides, SPLIT_BLOCKS: splitBlocks },
    bindings: { A: 'X', B: 'Vt', S: 'S', Z: splits > 1 ? 'Z:partials' : 'Z' },
    params: { tokens: T, n, rank: r },
    flops: 2 * T * r * n + 2 * T * b * b * r,
    workgroups: [...grid, splits],
  });
  if (splits > 1) {
    pb.steps.push(splitReduceStep(`xvs-sum (block split ×${splits} reduce)`, 'Z:partials',
      { tensor: 'Z', ld: r, outer: T * r }, T, r, b, 1, splits, p.dtype));
  }
  pb.gemm('gemm-u', {
    M: T, N: pOut, K: r, batchOuter: b,
    A: { tensor: 'Z', ld: r, outer: T * r }, B: { tensor: 'U', ld: r, outer: pOut * r }, C: { tensor: 'Y', ld: m, outer: pOut },
  });
  return { ...pb, layoutWeights: blastWeights(b, q, r) };
};

/**
 * The paper's ⑤ permutation-only fusion (its triton_blast_bmm_fp16): three batched products and
 * no copies, each intermediate laid out (r, b, T) so that every product reads and writes it
 * where it lies. xv: XV[c][j][t] = X_j·V_j, stored with the tokens contiguous; sxv, one product
 * per rank index c: SXV[c][i][t] = Σ_j S[i][j][c] · XV[c][j][t], reading XV along j (K-major);
 * usxv: out_i = SXV_i · U_iᵀ, reading SXV along c (K-major), stored straight into Y's blocks.
 */
const blastPermFused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r } = knobs(p);
  const [q, pOut] = [n / b, m / b];
  const pb = new PlanBuilder(p, limits);
  pb.tensor('Vt', n * r, 'weight');
  pb.tensor('St', b * b * r, 'weight');
  pb.tensor('U', m * r, 'weight');
  pb.tensor('XV', r * b * T, 'intermediate');
  pb.tensor('SXV', r * b * T, 'intermediate');
  pb.gemm('xv', {
    M: T, N: r, K: q, batchOuter: b,
    A: { tensor: 'X', ld: n, outer: q }, B: { tensor: 'Vt', ld: q, outer: r * q }, C: { tensor: 'XV', ld: 1, col: b * T, outer: T },
  });
  pb.gemm('sxv', {
    M: T, N: b, K: b, batchOuter: r,
    A: { tensor: 'XV', ld: 1, ks: T, outer: b * T }, B: { tensor: 'St', ld: b, outer: b * b }, C: { tensor: 'SXV', ld: 1, col: T, outer: b * T },
  });
  pb.gemm('usxv', {
    M: T, N: pOut, K: r, batchOuter: b,
    A: { tensor: 'SXV', ld: 1, ks: b * T, outer: T }, B: { tensor: 'U', ld: r, outer: pOut * r }, C: { tensor: 'Y', ld: m, outer: pOut },
  });
  return {
    ...pb,
    layoutWeights: (f) => {
      const bl = factorsOf(f, 'blast');
      // S (b, b, r) as St (r, b, b): sxv's B, one b × b matrix per rank index
      return { Vt: transposeBatched(bl.V, b, q, r), St: transposeBatched(bl.S, 1, b * b, r), U: bl.U };
    },
  };
};

const blastFused: Builder = (p, limits) => {
  const { m, n, tokens: T } = p.shape;
  const { b, r } = knobs(p);
  const tpw = tokensPerWorkgroup(b * r, 2, limits, T);
  if (tpw < 1) return { unfit: `the 2·b·r = ${2 * b * r} intermediate values of one token need ${8 * b * r} B of workgroup memory, over this adapter's ${limits.maxComputeWorkgroupStorageSize} B` };
  const pb = new PlanBuilder(p, limits);
  blastTensors(pb, b, r, n, m);
  pb.step({
    name: 'fused',
    kernel: 'fused-blast',
    overrides: { BLOCKS: b, TOKENS_PER_WG: tpw, Z_SIZE: tpw * b * r },
    bindings: { X: 'X', Vt: 'Vt', S: 'S', U: 'U', Y: 'Y' },
    params: { tokens: T, n, m, rank: r },
    flops: 2 * T * r * (n + b * b + m),
    workgroups: [Math.ceil(T / tpw), 1, 1],
  });
  return { ...pb, layoutWeights: blastWeights(b, n / b, r) };
};

const REGISTRY: Record<StructureKind, Partial<Record<Strategy, Builder>>> = {
  dense: { tiled: denseTiled },
  lowrank: { tiled: lowrankTiled, fused: lowrankFused },
  monarch: { unfused: monarchUnfused, partial: monarchPartial, fused: monarchFused },
  blast: { unfused: blastUnfused, partial: blastPartial, 'perm-fused': blastPermFused, fused: blastFused },
};

/** Where a strategy goes when it does not fit the adapter. */
const FALLBACK: Partial<Record<Strategy, Strategy>> = { fused: 'partial' };

/**
 * The plan for (problem, strategy) on an adapter with `limits`. Throws with every reason when
 * the problem is invalid or the strategy unknown for the structure; falls back (and says why)
 * when a strategy does not fit the adapter.
 */
export function buildPlan(problem: Problem, requested: Strategy, limits: PlanLimits): Plan {
  assertValid(problem, limits);
  const kind = problem.structure.kind;
  if (!STRATEGIES[kind].includes(requested)) {
    throw new Error(`strategy '${requested}' does not exist for ${kind}; choose one of ${STRATEGIES[kind].join(', ')}`);
  }
  let strategy = requested;
  const reasons: string[] = [];
  for (;;) {
    const built = REGISTRY[kind][strategy]!(problem, limits);
    if (!('unfit' in built)) {
      for (const [name, t] of Object.entries(built.tensors)) {
        const bytes = t.elements * (t.f32 ? 4 : bytesOf(problem));
        const cap = largestBinding(limits);
        if (bytes > cap) throw new Error(`tensor ${name} needs ${formatBytes(bytes)}, over this adapter's largest storage binding of ${formatBytes(cap)}`);
      }
      const info: PlanInfo = {
        problem,
        requested,
        strategy,
        path: !limits.matrix ? 'fma' : limits.matrix.emulated ? 'emulated' : 'matrix',
        ...(reasons.length ? { fallbackReason: reasons.join('; ') } : {}),
        dispatches: built.steps.map((s) => ({ name: s.name, kernel: s.kernel, workgroups: s.workgroups })),
      };
      return { info, dtype: problem.dtype, tensors: built.tensors, steps: built.steps, layoutWeights: built.layoutWeights };
    }
    const next = kind === 'lowrank' ? 'tiled' : FALLBACK[strategy];
    if (!next) throw new Error(`${strategy} cannot run on this adapter: ${built.unfit}`);
    reasons.push(`${strategy} → ${next}: ${built.unfit}`);
    strategy = next;
  }
}
