/** Low-rank: W = U·Vᵀ with U (m × r), V (n × r). */
import { PlanBuilder, factorsOf, tokensPerWorkgroup, type PlanLimits } from '../../gpu/plan-builder';
import { foldGrid } from '../../gpu/gemm-plan';
import { transposeBatched } from '../../gpu/layouts';
import type { Factors } from '../types';
import { clamp, panel, rowsBand, scaledShape } from '../drawing';
import type { StructureModule } from './kind';

export type LowrankSpec = { kind: 'lowrank'; rank: number };
export type LowrankFactors = { kind: 'lowrank'; U: Float64Array; V: Float64Array };

/** Low-rank weights, both factors K-contiguous: V as Vt (r, n), U as is (m, r). */
const lowrankWeights = (n: number, r: number) => (f: Factors) => {
  const lr = factorsOf(f, 'lowrank');
  return { Vt: transposeBatched(lr.V, 1, n, r), U: lr.U };
};

/** fused-lowrank.wgsl's workgroup size and the vectors of X's row it stages per token (THREADS, STAGE). */
const FUSED_THREADS = 256;
const FUSED_STAGE = 32;
/** Workgroup memory of one token in fused-lowrank.wgsl: its z (r floats, in vectors of four) and its row of X's tile. */
const FUSED_BYTES_PER_TOKEN = (r: number) => 16 * (Math.ceil(r / 4) + FUSED_STAGE);

/**
 * The fused kernel's launch: `tokens` per workgroup (TM: as many as workgroup memory holds, at
 * most 8; 0 when one does not fit), `columns` of z and of Y per thread (TN: 4, up to 8 so that
 * one pass of phase 1 covers r ≤ 2048), and the `lanes` that share a column of z in phase 1
 * (so that a small r still gives every thread work).
 */
export function fusedLaunch(r: number, T: number, limits: PlanLimits): { tokens: number; columns: number; lanes: number } {
  const tokens = tokensPerWorkgroup(FUSED_BYTES_PER_TOKEN(r) / 4, 1, limits, T);
  const columns = Math.min(8, Math.max(4, Math.ceil(r / FUSED_THREADS)));
  let lanes = 1;
  while (lanes < FUSED_STAGE && (FUSED_THREADS / (2 * lanes)) * columns >= r) lanes *= 2;
  return { tokens, columns, lanes };
}

export const lowrank: StructureModule<LowrankSpec, LowrankFactors> = {
  kind: 'lowrank',
  name: 'Low-rank',
  summary: 'W = U·Vᵀ',
  knobs: ['rank'],
  rankSymbol: 'r',
  rankStep: () => 1,
  rankHint: (m, n) => `at most min(m, n) = ${Math.min(m, n)}`,
  label: (s) => `low-rank r=${s.rank}`,

  factorSizes: ({ m, n }, s) => ({ U: m * s.rank, V: n * s.rank }),
  flops: ({ m, n, tokens }, s) => 2 * tokens * s.rank * (m + n),
  intermediate: ({ tokens }, s) => tokens * s.rank,
  rules({ m, n }, s, ok) {
    if (ok.rank && ok.m && ok.n && s.rank > Math.min(m, n)) {
      return [{ field: 'rank', message: `rank r=${s.rank} exceeds min(m, n)=${Math.min(m, n)}: a low-rank factor cannot have more rank than its matrix` }];
    }
    return [];
  },
  presetKnobs: (layer) => layer.lowrank,

  randomFactors: ({ m, n }, s, draw) => ({ kind: 'lowrank', V: draw(n * s.rank, n), U: draw(m * s.rank, s.rank) }),
  /** z = Vᵀx (r), y = U z. */
  forwardRow({ m, n }, { rank: r }, { U, V }, x, y) {
    const z = new Float64Array(r);
    for (let k = 0; k < n; k++) {
      const xk = x[k];
      for (let c = 0; c < r; c++) z[c] += xk * V[k * r + c];
    }
    for (let i = 0; i < m; i++) {
      let acc = 0;
      for (let c = 0; c < r; c++) acc += U[i * r + c] * z[c];
      y[i] = acc;
    }
  },
  /** W[i, k] = Σ_c U[i, c] · V[k, c] */
  denseEquivalent({ m, n }, { rank: r }, { U, V }) {
    const W = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let k = 0; k < n; k++) {
        let acc = 0;
        for (let c = 0; c < r; c++) acc += U[i * r + c] * V[k * r + c];
        W[i * n + k] = acc;
      }
    return W;
  },

  strategies: [
    {
      name: 'tiled',
      description: 'two tiled GEMMs, z = X·V through memory',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const r = p.structure.rank;
        const pb = new PlanBuilder(p, limits);
        pb.tensor('Vt', r * n, 'weight');
        pb.tensor('U', m * r, 'weight');
        pb.tensor('Z', T * r, 'intermediate');
        pb.gemm('gemm-v', { M: T, N: r, K: n, A: { tensor: 'X', ld: n }, B: { tensor: 'Vt', ld: n }, C: { tensor: 'Z', ld: r } });
        pb.gemm('gemm-u', { M: T, N: m, K: r, A: { tensor: 'Z', ld: r }, B: { tensor: 'U', ld: r }, C: { tensor: 'Y', ld: m } });
        return pb.build(lowrankWeights(n, r));
      },
    },
    {
      name: 'fused',
      description: "one dispatch, z kept on chip (the paper's fused low-rank kernel)",
      fallback: 'tiled',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const r = p.structure.rank;
        const launch = fusedLaunch(r, T, limits);
        if (launch.tokens < 1) {
          return { unfit: `z and X's tile need ${FUSED_BYTES_PER_TOKEN(r)} B of workgroup memory per token, over this adapter's ${limits.maxComputeWorkgroupStorageSize} B` };
        }
        const pb = new PlanBuilder(p, limits);
        pb.tensor('Vt', r * n, 'weight');
        pb.tensor('U', m * r, 'weight');
        pb.step({
          name: 'fused',
          kernel: 'fused-lowrank',
          spec: { tm: launch.tokens, tn: launch.columns, vw: 4, rowVectors: { n: n % 4 === 0, r: r % 4 === 0 } },
          overrides: { LANES: launch.lanes, Z_VECS: launch.tokens * Math.ceil(r / 4) },
          bindings: { X: 'X', Vt: 'Vt', U: 'U', Y: 'Y' },
          params: { tokens: T, n, m, rank: r },
          flops: 2 * T * r * (m + n),
          workgroups: foldGrid(Math.ceil(T / launch.tokens)),
        });
        // Each thread walks whole rows of Vt and of U, faster than the layout where neighbouring
        // threads read neighbouring words (docs/decisions.md#lowrank-fused).
        return pb.build(lowrankWeights(n, r));
      },
    },
  ],
  // docs/decisions.md#lowrank-fused: the fused kernel's parallelism is a workgroup per few tokens
  defaultStrategy: 'tiled',

  smallInstance(m, n, spec, maxDim) {
    const scale = Math.min(1, maxDim / Math.max(m, n));
    const small = scaledShape(m, n, scale);
    return { ...small, spec: { kind: 'lowrank', rank: clamp(Math.round(spec.rank * scale), 1, Math.min(small.m, small.n)) } };
  },
  panels({ m, n, spec: { rank: r } }) {
    const all = [rowsBand(0, m, n)];
    return [
      panel({ id: 'U', title: 'U', caption: `${m} × ${r}`, rows: m, cols: r, blocks: [{ label: 'U', row: 0, col: 0, rows: m, cols: r, produces: all }] }),
      panel({ id: 'Vt', title: 'Vᵀ', caption: `${r} × ${n}`, rows: r, cols: n, blocks: [{ label: 'Vᵀ', row: 0, col: 0, rows: r, cols: n, produces: all }] }),
    ];
  },
};
