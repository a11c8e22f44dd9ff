/**
 * The cost model against the paper's: fixtures/roofline_model_derived.csv holds the formulas of
 * roofline.py (github.com/pabillam/mem-efficient-blr) evaluated on the paper's layer configs,
 * bf16 (2 bytes, the width of our f16). Where a strategy of ours moves the same tensors as a
 * variant of theirs, params, FLOPs and bytes must be equal to the byte.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Strategy, StructureSpec } from '../structures/types';
import { strategyCost } from './index';

interface PaperRow {
  network: string;
  layer: string;
  n: number;
  m: number;
  tokens: number;
  variant: string;
  blocks: number;
  rank: number;
  params: number;
  bytes: number;
  flops: number;
}

function readRows(): PaperRow[] {
  const [header, ...lines] = readFileSync(new URL('./fixtures/roofline_model_derived.csv', import.meta.url), 'utf8').trim().split('\n');
  const col = header.split(',');
  return lines.map((line) => {
    const v = line.split(',');
    const get = (name: string) => v[col.indexOf(name)];
    return {
      network: get('network'),
      layer: get('layer'),
      n: Number(get('in_f')),
      m: Number(get('out_f')),
      tokens: Number(get('tokens')),
      variant: get('variant'),
      blocks: Number(get('structure_b')),
      rank: Number(get('structure_rank')),
      params: Number(get('params')),
      bytes: Number(get('bytes')),
      flops: Number(get('flops')),
    };
  });
}

/** Paper variant → our structure and strategy, where the two move the same tensors. */
const coinciding: Record<string, { structure: (r: PaperRow) => StructureSpec; strategy: Strategy; rows: number }> = {
  dense: { structure: () => ({ kind: 'dense' }), strategy: 'tiled', rows: 88 },
  lowrank_torch: { structure: (r) => ({ kind: 'lowrank', rank: r.rank }), strategy: 'tiled', rows: 88 },
  lowrank_triton_fused: { structure: (r) => ({ kind: 'lowrank', rank: r.rank }), strategy: 'fused', rows: 88 },
  monarch_torch: { structure: (r) => ({ kind: 'monarch', blocks: r.blocks, rank: r.rank }), strategy: 'unfused', rows: 73 },
  'monarch_triton_right_ideal|right_left': { structure: (r) => ({ kind: 'monarch', blocks: r.blocks, rank: r.rank }), strategy: 'partial', rows: 73 },
  blast_triton_partial: { structure: (r) => ({ kind: 'blast', blocks: r.blocks, rank: r.rank }), strategy: 'partial', rows: 88 },
  blast_triton_bmm3: { structure: (r) => ({ kind: 'blast', blocks: r.blocks, rank: r.rank }), strategy: 'perm-fused', rows: 88 },
  blast_full_fusion_ideal: { structure: (r) => ({ kind: 'blast', blocks: r.blocks, rank: r.rank }), strategy: 'fused', rows: 88 },
};

/** Variants with no strategy of ours moving the same tensors (docs/cost-model.md says why). */
const skipped: Record<string, number> = { blast_torch: 88, monarch_triton_right: 73 };

const rows = readRows();

describe("the paper's roofline.py", () => {
  it('fixture holds 835 rows, every variant either checked or knowingly skipped', () => {
    expect(rows).toHaveLength(835);
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.variant] = (counts[r.variant] ?? 0) + 1;
    const expected = { ...skipped, ...Object.fromEntries(Object.entries(coinciding).map(([v, c]) => [v, c.rows])) };
    expect(counts).toEqual(expected);
  });

  it.each(Object.keys(coinciding))('%s: params, FLOPs and bytes equal on every row', (variant) => {
    const { structure, strategy } = coinciding[variant];
    const mismatches: string[] = [];
    const mine = rows.filter((r) => r.variant === variant);
    for (const r of mine) {
      const c = strategyCost({ shape: { m: r.m, n: r.n, tokens: r.tokens }, structure: structure(r), dtype: 'f16' }, strategy);
      const got = { params: c.params, flops: c.flops, bytes: c.bytes };
      const want = { params: r.params, flops: r.flops, bytes: r.bytes };
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches.push(`${r.network}/${r.layer} T=${r.tokens}: got ${JSON.stringify(got)}, paper ${JSON.stringify(want)}`);
      }
    }
    expect(mine).toHaveLength(coinciding[variant].rows);
    expect(mismatches).toEqual([]);
  });
});
