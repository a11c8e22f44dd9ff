import { LIMITS } from '../../lib/limits';
import { describe, expect, it } from 'vitest';
import { randomFactors } from '../../lib/structures/init';
import { denseEquivalent } from '../../lib/structures/dense-equivalent';
import type { StructureSpec } from '../../lib/structures/types';
import { validateProblem } from '../../lib/structures/validate';
import { smallInstance, structureDrawing, type FactorPanel, type Region } from './structure';

const SPECS: [number, number, StructureSpec][] = [
  [4096, 4096, { kind: 'monarch', blocks: 16, rank: 1024 }],
  [2304, 768, { kind: 'monarch', blocks: 4, rank: 192 }],
  [160, 96, { kind: 'monarch', blocks: 4, rank: 32 }],
  [4096, 11008, { kind: 'blast', blocks: 16, rank: 1488 }],
  [3456, 1152, { kind: 'blast', blocks: 9, rank: 384 }],
  [4096, 4096, { kind: 'lowrank', rank: 1024 }],
  [160, 96, { kind: 'dense' }],
];

/** How many times each dense entry is covered by `regions`. */
function coverage(m: number, n: number, regions: Region[]): Uint8Array {
  const hits = new Uint8Array(m * n);
  for (const r of regions) for (let i = r.row; i < r.row + r.rows; i++) for (let j = r.col; j < r.col + r.cols; j++) hits[i * n + j]++;
  return hits;
}

const inside = (p: FactorPanel, r: Region) => r.row >= 0 && r.col >= 0 && r.row + r.rows <= p.rows && r.col + r.cols <= p.cols;

describe('smallInstance', () => {
  it.each(SPECS)('%i × %i %o scales to ≤ 64 with b kept and a valid rank', (m, n, spec) => {
    const s = smallInstance(m, n, spec);
    expect(Math.max(s.m, s.n)).toBeLessThanOrEqual(64);
    if ('blocks' in spec) expect(s.spec).toMatchObject({ blocks: spec.blocks });
    expect(validateProblem({ shape: { m: s.m, n: s.n, tokens: 1 }, structure: s.spec, dtype: 'f32' })).toEqual([]);
  });

  it('keeps a small layer as it is', () => {
    expect(smallInstance(40, 24, { kind: 'monarch', blocks: 4, rank: 8 })).toEqual({ m: 40, n: 24, spec: { kind: 'monarch', blocks: 4, rank: 8 } });
  });
});

describe('structureDrawing', () => {
  it.each(SPECS)('%i × %i %o chains factor dims into the dense m × n, blocks inside their factor', (m, n, spec) => {
    const d = structureDrawing(m, n, spec, 1);
    const { panels, instance } = d;
    expect(panels[0].rows).toBe(instance.m);
    expect(panels[panels.length - 1].cols).toBe(instance.n);
    for (let i = 1; i < panels.length; i++) expect(panels[i - 1].cols).toBe(panels[i].rows);
    for (const p of panels) {
      for (const b of p.blocks) {
        expect(inside(p, b)).toBe(true);
        for (const r of b.produces) expect(r.row + r.rows <= instance.m && r.col + r.cols <= instance.n).toBe(true);
      }
      for (const e of p.entries) expect(e.row < p.rows && e.col < p.cols).toBe(true);
    }
    expect(d.dense).toHaveLength(instance.m * instance.n);
  });

  it('Monarch: each factor block and each block pair produce a partition of the dense matrix', () => {
    const { panels, instance } = structureDrawing(160, 96, { kind: 'monarch', blocks: 4, rank: 32 }, 1);
    for (const p of panels) expect([...coverage(instance.m, instance.n, p.blocks.flatMap((b) => b.produces))].every((h) => h === 1)).toBe(true);
  });

  it('Monarch: P is a permutation', () => {
    const P = structureDrawing(64, 64, { kind: 'monarch', blocks: 4, rank: 16 }, 1).panels.find((p) => p.id === 'P')!;
    expect(P.entries).toHaveLength(P.rows);
    expect(new Set(P.entries.map((e) => e.row)).size).toBe(P.rows);
    expect(new Set(P.entries.map((e) => e.col)).size).toBe(P.cols);
  });

  it('Monarch: the dense entries a block pair produces have rank R/b (zeroing that pair zeroes exactly them)', () => {
    const m = 24;
    const n = 16;
    const spec = { kind: 'monarch', blocks: 4, rank: 8 } as const;
    const { panels } = structureDrawing(m, n, spec, 3);
    const pair = panels.find((p) => p.id === 'P')!.blocks[1 * 4 + 2]; // out block 1 ← in block 2
    const shape = { m, n, tokens: 1 };
    const f = randomFactors(shape, spec, 3);
    if (f.kind !== 'monarch') throw new Error('monarch factors expected');
    const before = denseEquivalent(shape, spec, f);
    // Stage-1 block 2's rows that feed stage-2 block 1: q ≡ 1 (mod b).
    const W1 = f.W1.slice();
    const p = n / 4;
    for (let q = 1; q < 8; q += 4) W1.fill(0, (2 * 8 + q) * p, (2 * 8 + q + 1) * p);
    const after = denseEquivalent(shape, spec, { ...f, W1 });
    const lit = coverage(m, n, pair.produces);
    for (let i = 0; i < m * n; i++) expect(after[i] === before[i]).toBe(lit[i] === 0);
  });

  it('BLAST: S blocks produce the b × b grid of dense blocks, U and V their rows and columns', () => {
    const { panels, instance } = structureDrawing(64, 48, { kind: 'blast', blocks: 4, rank: 8 }, 1);
    expect(instance).toEqual({ m: 64, n: 48, spec: { kind: 'blast', blocks: 4, rank: 8 } });
    const [U, S, Vt] = panels;
    expect(S.blocks).toHaveLength(16);
    expect(S.entries).toHaveLength(16 * 8);
    expect(S.blocks[1 * 4 + 3].produces).toEqual([{ row: 16, col: 36, rows: 16, cols: 12 }]);
    expect(U.blocks[2].produces).toEqual([{ row: 32, col: 0, rows: 16, cols: 48 }]);
    expect(Vt.blocks[3].produces).toEqual([{ row: 0, col: 36, rows: 64, cols: 12 }]);
  });
});

describe('a drawing bounded by LIMITS, whatever the layer', () => {
  it('draws at most a few thousand blocks and entries at every b up to LIMITS.blocks, on the largest layers', () => {
    for (const kind of ['monarch', 'blast'] as const) {
      for (const b of [1, 2, 16, 48, LIMITS.blocks]) {
        const m = LIMITS.size - (LIMITS.size % b);
        const spec = { kind, blocks: b, rank: kind === 'monarch' ? m : LIMITS.rank } as const;
        const drawing = structureDrawing(m, m, spec, 1);
        const blocks = drawing.panels.reduce((n, p) => n + p.blocks.length, 0);
        const entries = drawing.panels.reduce((n, p) => n + p.entries.length, 0);
        expect(blocks, `${kind} b=${b}`).toBeLessThanOrEqual(b * b + 2 * b);
        expect(entries, `${kind} b=${b}`).toBeLessThanOrEqual(4 * 4096);
        for (const p of drawing.panels) expect(Math.max(p.rows, p.cols), `${kind} b=${b} ${p.id}`).toBeLessThanOrEqual(4096);
        expect(drawing.dense.length).toBeLessThanOrEqual(64 * 64 * 4);
      }
    }
  });
});
