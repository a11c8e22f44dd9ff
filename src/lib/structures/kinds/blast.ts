/**
 * BLAST (docs/structures.md#structures): W_ij = U_i · diag(s_ij) · V_jᵀ, blocks sharing U_i
 * and V_j, coupled by s_ij. U (b × m/b × r), V (b × n/b × r), S (b × b × r); S[i][j] couples
 * out-block i ← in-block j.
 */
import { grid1d, splitReduceStep, tileDispatch, tileWorkgroupBytes, wideLoadsFill, type GemmTile } from '../../gpu/gemm-plan';
import { transposeBatched } from '../../gpu/layouts';
import { PlanBuilder, factorsOf, tokensPerWorkgroup, type PlanLimits } from '../../gpu/plan-builder';
import type { Step } from '../../gpu/plan-types';
import type { Specialisation } from '../../gpu/shaders';
import { largestBinding } from '../checks';
import type { Factors } from '../types';
import { blockDiagonal, clamp, colsBand, MAX_INTERMEDIATE, panel, range, rowsBand } from '../drawing';
import { blockedSmallShape, blocksDivide, rankWithinShape } from './blocked';
import type { ProblemOf, StructureModule } from './kind';

export type BlastSpec = { kind: 'blast'; blocks: number; rank: number };
export type BlastFactors = { kind: 'blast'; U: Float64Array; V: Float64Array; S: Float64Array };

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
 * are split, whole, until about BLAST_PARTIAL_TARGET workgroups are in flight (fewer where whole
 * blocks do not divide evenly: 8 splits of 2 blocks, not 12, for 93 tiles of b = 16); each
 * split holds `zBytes` of f32 partial sums (b · T · r), all in one tensor that must fit
 * `bindingBytes`. From BLAST_SPLIT_BELOW_OUTPUTS outputs per block (T · r) on, the tiles fill the GPU
 * themselves and the partial sums only add traffic (docs/decisions.md#blast-partial-split).
 */
const BLAST_PARTIAL_TARGET = 1024;
const BLAST_SPLIT_BELOW_OUTPUTS = 2 ** 18;
function blastPartialSplitBlocks(blocks: number, workgroups: number, outputs: number, bindingBytes: number): number {
  if (outputs >= BLAST_SPLIT_BELOW_OUTPUTS) return blocks;
  const zBytes = 4 * blocks * outputs;
  const splits = Math.max(1, Math.min(blocks, Math.ceil(BLAST_PARTIAL_TARGET / workgroups), Math.floor(bindingBytes / zBytes)));
  return Math.ceil(blocks / splits);
}

/** BLAST partial: xvs-sum (X·V_j, s_ij scaling and Σ_j in one kernel, Y never leaves the chip), then the U GEMM. */
function partialPlan(p: ProblemOf<BlastSpec>, limits: PlanLimits) {
  const { m, n, tokens: T } = p.shape;
  const { blocks: b, rank: r } = p.structure;
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
  const { dtype: _dtype, ...tileSpec } = spec;
  pb.step({
    name: 'xvs-sum',
    kernel: 'blast-partial',
    spec: { ...tileSpec, blocks: b, groups, f32Out: splits > 1 },
    overrides: { ...overrides, SPLIT_BLOCKS: splitBlocks },
    bindings: { A: 'X', B: 'Vt', S: 'S', Z: splits > 1 ? 'Z:partials' : 'Z' },
    params: { tokens: T, n, rank: r },
    flops: 2 * T * r * n + 2 * T * b * b * r,
    workgroups: [...grid, splits],
  });
  if (splits > 1) {
    pb.steps.push(splitReduceStep(`xvs-sum (block split ×${splits} reduce)`, 'Z:partials', { tensor: 'Z', ld: r, outer: T * r }, T, r, b, 1, splits, p.dtype));
  }
  pb.gemm('gemm-u', {
    M: T, N: pOut, K: r, batchOuter: b,
    A: { tensor: 'Z', ld: r, outer: T * r }, B: { tensor: 'U', ld: r, outer: pOut * r }, C: { tensor: 'Y', ld: m, outer: pOut },
  });
  return pb.build(blastWeights(b, q, r));
}

export const blast: StructureModule<BlastSpec, BlastFactors> = {
  kind: 'blast',
  name: 'BLAST',
  summary: 'blocks share U_i and V_j, coupled by s_ij',
  knobs: ['blocks', 'rank'],
  rankSymbol: 'r',
  rankStep: () => 1,
  rankHint: (m, n) => `at most min(m, n) = ${Math.min(m, n)}`,
  label: (s) => `BLAST b=${s.blocks} r=${s.rank}`,

  factorSizes: ({ m, n }, s) => ({ U: m * s.rank, V: n * s.rank, S: s.blocks * s.blocks * s.rank }),
  flops: ({ m, n, tokens }, s) => 2 * tokens * s.rank * (m + n + s.blocks * s.blocks),
  intermediate: ({ tokens }, s) => tokens * s.blocks * s.rank,
  // r may exceed the block size (the paper's Llama-7B uses r=1024 on 256-wide blocks), but
  // never the matrix's own rank bound.
  rules: (shape, s, ok) => [...blocksDivide(shape, s, ok), ...rankWithinShape('BLAST', 'r', shape, s, ok)],
  presetKnobs: (layer) => layer.blast,

  randomFactors: ({ m, n }, s, draw) => ({
    kind: 'blast',
    V: draw(n * s.rank, n / s.blocks),
    S: draw(s.blocks * s.blocks * s.rank, s.blocks),
    U: draw(m * s.rank, s.rank),
  }),
  /** Y_j = x_j · V_j (r), Z_i = Σ_j S[i][j] ⊙ Y_j, out_i = U_i · Z_i, output blocks contiguous. */
  forwardRow({ m, n }, { blocks: b, rank: r }, { U, V, S }, x, y) {
    const q = n / b;
    const p = m / b;
    const Yb = new Float64Array(b * r);
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < q; k++) {
        const xk = x[j * q + k];
        const v = (j * q + k) * r;
        for (let c = 0; c < r; c++) Yb[j * r + c] += xk * V[v + c];
      }
    }
    const z = new Float64Array(r);
    for (let i = 0; i < b; i++) {
      z.fill(0);
      for (let j = 0; j < b; j++) for (let c = 0; c < r; c++) z[c] += S[(i * b + j) * r + c] * Yb[j * r + c];
      for (let si = 0; si < p; si++) {
        let acc = 0;
        const u = (i * p + si) * r;
        for (let c = 0; c < r; c++) acc += U[u + c] * z[c];
        y[i * p + si] = acc;
      }
    }
  },
  /** W_ij = U_i · diag(s_ij) · V_jᵀ */
  denseEquivalent({ m, n }, { blocks: b, rank: r }, { U, V, S }) {
    const W = new Float64Array(m * n);
    const p = m / b;
    const q = n / b;
    for (let i = 0; i < b; i++)
      for (let j = 0; j < b; j++)
        for (let si = 0; si < p; si++)
          for (let c = 0; c < q; c++) {
            let acc = 0;
            for (let t = 0; t < r; t++) acc += U[(i * p + si) * r + t] * S[(i * b + j) * r + t] * V[(j * q + c) * r + t];
            W[(i * p + si) * n + j * q + c] = acc;
          }
    return W;
  },

  strategies: [
    {
      name: 'unfused',
      description: 'like PyTorch eager: bmm with V, the coupling einsum, bmm with U, the output transposed',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: r } = p.structure;
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
        return pb.build(blastWeights(b, q, r));
      },
    },
    {
      name: 'partial',
      description: "the paper's partial fusion: X·V, the coupling and its sum in one kernel, then the U GEMM",
      plan: partialPlan,
    },
    {
      name: 'perm-fused',
      description: "the paper's ⑤: three products whose layouts absorb every permutation",
      /**
       * The paper's ⑤ permutation-only fusion (its triton_blast_bmm_fp16): three batched products
       * and no copies, each intermediate laid out (r, b, T) so that every product reads and writes
       * it where it lies. xv: XV[c][j][t] = X_j·V_j, stored with the tokens contiguous; sxv, one
       * product per rank index c: SXV[c][i][t] = Σ_j S[i][j][c] · XV[c][j][t], reading XV along j
       * (K-major); usxv: out_i = SXV_i · U_iᵀ, reading SXV along c (K-major), stored straight into
       * Y's blocks.
       */
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: r } = p.structure;
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
        return pb.build((f) => {
          const bl = factorsOf(f, 'blast');
          // S (b, b, r) as St (r, b, b): sxv's B, one b × b matrix per rank index
          return { Vt: transposeBatched(bl.V, b, q, r), St: transposeBatched(bl.S, 1, b * b, r), U: bl.U };
        });
      },
    },
    {
      name: 'fused',
      description: 'one dispatch, Y and Z of a token kept on chip',
      fallback: 'partial',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: r } = p.structure;
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
        return pb.build(blastWeights(b, n / b, r));
      },
    },
  ],
  defaultStrategy: 'partial',

  /** b kept, the rank scaled so that b·r stays near MAX_INTERMEDIATE. */
  smallInstance(m, n, spec, maxDim) {
    const b = spec.blocks;
    const small = blockedSmallShape(m, n, b, maxDim);
    const rank = clamp(Math.round(spec.rank * small.scale), 1, Math.max(1, Math.min(small.m, small.n, Math.floor(MAX_INTERMEDIATE / b))));
    return { m: small.m, n: small.n, spec: { kind: 'blast', blocks: b, rank } };
  },
  panels({ m, n, spec: { blocks: b, rank: r } }) {
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
  },
};
