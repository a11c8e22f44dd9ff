/** Dense: W (m × n), as nn.Linear holds it; the baseline every structure is measured against. */
import { PlanBuilder, factorsOf } from '../../gpu/plan-builder';
import { panel, rowsBand, scaledShape } from '../drawing';
import type { StructureModule } from './kind';

export type DenseSpec = { kind: 'dense' };
export type DenseFactors = { kind: 'dense'; W: Float64Array };

export const dense: StructureModule<DenseSpec, DenseFactors> = {
  kind: 'dense',
  name: 'Dense',
  summary: 'W, m·n parameters',
  knobs: [],
  rankSymbol: 'r',
  rankStep: () => 1,
  rankHint: () => '',
  label: () => 'dense',

  factorSizes: ({ m, n }) => ({ W: m * n }),
  flops: ({ m, n, tokens }) => 2 * tokens * m * n,
  intermediate: () => 0,
  rules: () => [],
  presetKnobs: () => ({}),

  randomFactors: ({ m, n }, _s, draw) => ({ kind: 'dense', W: draw(m * n, n) }),
  forwardRow({ m, n }, _s, { W }, x, y) {
    for (let i = 0; i < m; i++) {
      let acc = 0;
      const o = i * n;
      for (let k = 0; k < n; k++) acc += W[o + k] * x[k];
      y[i] = acc;
    }
  },
  denseEquivalent: (_shape, _s, f) => Float64Array.from(f.W),

  strategies: [
    {
      name: 'tiled',
      description: 'tiled GEMM kernels',
      plan(p, limits) {
        const { m, n, tokens: T } = p.shape;
        const pb = new PlanBuilder(p, limits);
        pb.tensor('W', m * n, 'weight');
        pb.gemm('gemm', { M: T, N: m, K: n, A: { tensor: 'X', ld: n }, B: { tensor: 'W', ld: n }, C: { tensor: 'Y', ld: m } });
        return pb.build((f) => ({ W: factorsOf(f, 'dense').W }));
      },
    },
  ],
  defaultStrategy: 'tiled',

  smallInstance: (m, n, spec, maxDim) => ({ ...scaledShape(m, n, Math.min(1, maxDim / Math.max(m, n))), spec }),
  panels({ m, n }) {
    const all = rowsBand(0, m, n);
    return [panel({ id: 'W', title: 'W', caption: `dense ${m} × ${n}`, rows: m, cols: n, blocks: [{ label: 'W', ...all, produces: [all] }] })];
  },
};
