/**
 * Monarch (docs/structures.md#structures): two block-diagonal factors and a permutation.
 * W1 (b × R × n/b) and W2 (b × m/b × R) are the paper's w1_bfly_t and w2_bfly_t; each
 * (out-block, in-block) pair of W has rank R/b.
 */
import { takesLargeTile } from '../../gpu/gemm-plan';
import { monarchW1Regrouped } from '../../gpu/layouts';
import { PlanBuilder, factorsOf, tokensPerWorkgroup } from '../../gpu/plan-builder';
import type { Factors } from '../types';
import { blockDiagonal, clamp, colsBand, MAX_INTERMEDIATE, panel, range, type Region } from '../drawing';
import { blockedSmallShape, blocksDivide, rankWithinShape } from './blocked';
import type { StructureModule } from './kind';

export type MonarchSpec = { kind: 'monarch'; blocks: number; rank: number };
export type MonarchFactors = { kind: 'monarch'; W1: Float64Array; W2: Float64Array };

const monarchAsIs = (f: Factors) => {
  const mo = factorsOf(f, 'monarch');
  return { W1: mo.W1, W2: mo.W2 };
};

function monarchTensors(pb: PlanBuilder, R: number, n: number, m: number): void {
  pb.tensor('W1', R * n, 'weight');
  pb.tensor('W2', m * R, 'weight');
}

/**
 * Whether Monarch partial's stage 1 runs as b products of R columns with a grouped store rather
 * than b² products of R/b columns: only where that gives it the 128 × 128 tile that the narrow
 * products cannot take; where the tile stays the same the grouped store's division gains
 * nothing (docs/decisions.md#monarch-stage1-grouped).
 */
function monarchStage1Grouped(T: number, R: number, pbr: number): boolean {
  return takesLargeTile(T, R) && !takesLargeTile(T, pbr);
}

/** Rows j, j + b, j + 2b, …: where Monarch's interleaved output puts stage-2 block j. */
const strideRows = (j: number, b: number, m: number, col: number, cols: number): Region[] =>
  range(m / b).map((s) => ({ row: s * b + j, col, rows: 1, cols }));

export const monarch: StructureModule<MonarchSpec, MonarchFactors> = {
  kind: 'monarch',
  name: 'Monarch',
  summary: 'two block-diagonal factors and a permutation',
  knobs: ['blocks', 'rank'],
  rankSymbol: 'R',
  rankStep: (blocks) => blocks,
  rankHint: (_m, _n, { blocks, rank }) => `a multiple of b; each block pair has rank R/b = ${rank / blocks}`,
  label: (s) => `Monarch b=${s.blocks} R=${s.rank}`,

  factorSizes: ({ m, n }, s) => ({ W1: s.rank * n, W2: m * s.rank }),
  flops: ({ m, n, tokens }, s) => 2 * tokens * s.rank * (m + n),
  intermediate: ({ tokens }, s) => tokens * s.blocks * s.rank,
  rules(shape, s, ok) {
    const multiple =
      ok.blocks && ok.rank && s.rank % s.blocks !== 0
        ? [{ field: 'rank' as const, message: `Monarch rank R=${s.rank} must be a multiple of blocks b=${s.blocks} (each block pair has rank R/b)` }]
        : [];
    // Each (out-block, in-block) pair has rank R/b, at most min(m, n)/b.
    return [...blocksDivide(shape, s, ok), ...multiple, ...rankWithinShape('Monarch', 'R', shape, s, ok)];
  },
  presetKnobs: (layer) => layer.monarch,

  randomFactors: ({ m, n }, s, draw) => ({ kind: 'monarch', W1: draw(s.rank * n, n / s.blocks), W2: draw(m * s.rank, s.rank) }),
  /**
   * Stage 1 per input block k, Z[k][q] = W1[k][q][:] · x_k (R values); the permutation gives
   * stage-2 block j the values Z[k][u·b + j] at position k·R/b + u; stage 2 per block j,
   * O[j][s] = W2[j][s][:] · z_j; output interleaved, y[s·b + j] = O[j][s] (fly's
   * blockdiag_butterfly_multiply, the paper's torch_monarch_baseline).
   */
  forwardRow({ m, n }, { blocks: b, rank: R }, { W1, W2 }, x, y) {
    const p = n / b;
    const s = m / b;
    const pbr = R / b;
    const Z = new Float64Array(b * R);
    for (let k = 0; k < b; k++) {
      for (let q = 0; q < R; q++) {
        let acc = 0;
        const w = (k * R + q) * p;
        for (let i = 0; i < p; i++) acc += W1[w + i] * x[k * p + i];
        Z[k * R + q] = acc;
      }
    }
    const zj = new Float64Array(R);
    for (let j = 0; j < b; j++) {
      for (let k = 0; k < b; k++) for (let u = 0; u < pbr; u++) zj[k * pbr + u] = Z[k * R + u * b + j];
      for (let si = 0; si < s; si++) {
        let acc = 0;
        const w = (j * s + si) * R;
        for (let c = 0; c < R; c++) acc += W2[w + c] * zj[c];
        y[si * b + j] = acc;
      }
    }
  },
  /** W[si·b + j, k·p + pi] = Σ_{q ≡ j (mod b)} W2[j, si, k·R/b + ⌊q/b⌋] · W1[k, q, pi] */
  denseEquivalent({ m, n }, { blocks: b, rank: R }, { W1, W2 }) {
    const W = new Float64Array(m * n);
    const p = n / b;
    const s = m / b;
    const pbr = R / b;
    for (let j = 0; j < b; j++)
      for (let si = 0; si < s; si++)
        for (let k = 0; k < b; k++)
          for (let pi = 0; pi < p; pi++) {
            let acc = 0;
            for (let u = 0; u < pbr; u++) {
              const q = u * b + j;
              acc += W2[(j * s + si) * R + k * pbr + u] * W1[(k * R + q) * p + pi];
            }
            W[(si * b + j) * n + k * p + pi] = acc;
          }
    return W;
  },

  strategies: [
    {
      name: 'unfused',
      description: 'like PyTorch eager: bmm, the permutation copied, bmm, the output permuted',
      /** PyTorch eager: bmm, .contiguous() of the permuted intermediate, bmm, output permute. */
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: R } = p.structure;
        const [pIn, s, pbr] = [n / b, m / b, R / b];
        const pb = new PlanBuilder(p, limits);
        monarchTensors(pb, R, n, m);
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
        return pb.build(monarchAsIs);
      },
    },
    {
      name: 'partial',
      description: "the paper's right_left: no copies, stage 1 stored straight into stage 2's blocks",
      /** The paper's right_left: stage 1 stores straight into stage 2's blocks, stage 2 interleaves. */
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: R } = p.structure;
        const [pIn, s, pbr] = [n / b, m / b, R / b];
        const pb = new PlanBuilder(p, limits);
        monarchTensors(pb, R, n, m);
        pb.tensor('out1', b * T * R, 'intermediate');
        // Input block k against its R rows of the regrouped W1: row j·R/b + u (stage-2 block j)
        // lands at out1[j][t][k·R/b + u].
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
        return pb.build((f) => {
          const mo = factorsOf(f, 'monarch');
          return { W1: monarchW1Regrouped(mo.W1, b, R, pIn), W2: mo.W2 };
        });
      },
    },
    {
      name: 'fused',
      description: 'one dispatch, the b·R values of a token kept on chip',
      fallback: 'partial',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const { blocks: b, rank: R } = p.structure;
        const tpw = tokensPerWorkgroup(b * R, 1, limits, T);
        if (tpw < 1) return { unfit: `the b·R = ${b * R} stage-1 values of one token need ${4 * b * R} B of workgroup memory, over this adapter's ${limits.maxComputeWorkgroupStorageSize} B` };
        const pb = new PlanBuilder(p, limits);
        monarchTensors(pb, R, n, m);
        pb.step({
          name: 'fused',
          kernel: 'fused-monarch',
          overrides: { BLOCKS: b, TOKENS_PER_WG: tpw, Z_SIZE: tpw * b * R },
          bindings: { X: 'X', W1: 'W1', W2: 'W2', Y: 'Y' },
          params: { tokens: T, n, m, rank: R },
          flops: 2 * T * R * (m + n),
          workgroups: [Math.ceil(T / tpw), 1, 1],
        });
        return pb.build(monarchAsIs);
      },
    },
  ],
  defaultStrategy: 'partial',

  /** b kept, at least one rank per block pair, b·R near MAX_INTERMEDIATE. */
  smallInstance(m, n, spec, maxDim) {
    const b = spec.blocks;
    const small = blockedSmallShape(m, n, b, maxDim);
    const perPair = clamp(Math.round((spec.rank / b) * small.scale), 1, Math.max(1, Math.min(Math.floor(Math.min(small.m, small.n) / b), Math.floor(MAX_INTERMEDIATE / (b * b)))));
    return { m: small.m, n: small.n, spec: { kind: 'monarch', blocks: b, rank: b * perPair } };
  },
  panels({ m, n, spec: { blocks: b, rank: R } }) {
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
  },
};
