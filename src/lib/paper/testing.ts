/** Sources built in tests: a latency per point from a rule, as a feed's rows would give them. */
import { modelLayers, PAPER_MODELS } from './models';
import { pointAt } from './claims';
import { allKernels, BLAST_PERM_FUSED, type Kernel } from './kernels';
import { rowsSource, type PointQuery, type ResultSource, type Timed } from './sources';

export type LatencyRule = (q: PointQuery, layer: string, preset: string) => number | null;

/** Every kernel (⑤ included) at every paper layer at its tokens and at `extraTokens`, timed by `rule` (null: no row). */
export function ruleSource(rule: LatencyRule, opts: { id?: string; kind?: ResultSource['kind']; modelled?: boolean; caveat?: string | null; dtype?: string; extraTokens?: number[] } = {}): ResultSource {
  const rows: (PointQuery & Timed)[] = [];
  const kernels: Kernel[] = [...allKernels(), BLAST_PERM_FUSED];
  for (const model of PAPER_MODELS) {
    for (const l of modelLayers(model)) {
      for (const tokens of new Set([l.tokens, ...(opts.extraTokens ?? [])])) {
        for (const k of kernels) {
          const p = pointAt(l, k, tokens);
          if (!p) continue;
          const ms = rule(p, l.replaced.layer, model.preset);
          if (ms !== null) rows.push({ ...p, ms, run: 'test' });
        }
      }
    }
  }
  const id = opts.id ?? 'test';
  return rowsSource(
    {
      id,
      label: `${id} · test`,
      device: id,
      detail: 'test',
      where: `on ${id}`,
      kind: opts.kind ?? 'feed',
      modelled: opts.modelled ?? false,
      caveat: opts.caveat ?? null,
      paperDevice: null,
      roofKnown: false,
      dtype: opts.dtype ?? 'f32',
    },
    rows,
  );
}

/** A rule from a table: kind → strategy → ms (dense under 'dense'); anything absent has no row. */
export function byKernel(table: Record<string, number>): LatencyRule {
  return (q) => table[q.structure.kind === 'dense' ? 'dense' : `${q.structure.kind} ${q.strategy}`] ?? null;
}
