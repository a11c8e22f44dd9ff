/** One table of limits: every consumer draws the same line at the same place. */
import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed/parse';
import { LIMITS } from './limits';
import { decodeExperiment } from './share/codec';
import { PARAMS } from './share/params';
import { exactProblem } from './share/resolve';
import { blockChoices } from './structures/knobs';
import { validateProblem } from './structures/validate';

const feedWith = (shape: { m: number; n: number; tokens: number }, structure: object) =>
  JSON.stringify({
    schema: 'blr-feed/1',
    generated: '2026-01-17T10:00:00Z',
    generator: 'test',
    devices: [{ id: 'gpu', name: 'GPU', kind: 'unknown' }],
    results: [{ device: 'gpu', shape, structure, strategy: 'partial', implementation: 'wgsl-dawn', dtype: 'f32', latency: { medianMs: 1 }, provenance: { kind: 'other', source: 'test' } }],
  });

describe('LIMITS', () => {
  const fields = [
    ['m', LIMITS.size],
    ['n', LIMITS.size],
    ['tokens', LIMITS.tokens],
    ['blocks', LIMITS.blocks],
    ['rank', LIMITS.rank],
  ] as const;

  it.each(fields)('%s: the link codec, the resolver (CLI, snapshots) and validateProblem stop at %i', (field, max) => {
    const shape = { m: LIMITS.size, n: LIMITS.size, tokens: 1 };
    const at = { ...shape, structure: 'blast' as const, blocks: LIMITS.blocks, rank: 64, dtype: 'f32' as const, [field]: max };
    const past = { ...at, [field]: max + 1 };
    expect(exactProblem(at).ok).toBe(true);
    expect(exactProblem(past)).toMatchObject({ ok: false, problems: [{ param: field }] });
    const spec = (p: typeof at) => ({ shape: { m: p.m, n: p.n, tokens: p.tokens }, structure: { kind: 'blast' as const, blocks: p.blocks, rank: p.rank }, dtype: 'f32' as const });
    expect(validateProblem(spec(at))).toEqual([]);
    expect(validateProblem(spec(past)).map((i) => i.field)).toContain(field);
    expect(PARAMS.find((p) => p.key === field)!.allowed).toBe(`whole number 1–${max}`);
    const link = (p: typeof at) => decodeExperiment(`v=1&preset=custom&m=${p.m}&n=${p.n}&tokens=${p.tokens}&structure=blast&blocks=${p.blocks}&rank=${p.rank}`).notices;
    expect(link(at)).toEqual([]);
    expect(link(past).map((n) => n.param)).toContain(field);
  });

  it('the feed schema and the controls stop at the same b and sizes', () => {
    const ok = parseFeed(feedWith({ m: LIMITS.size, n: LIMITS.size, tokens: LIMITS.tokens }, { kind: 'blast', blocks: LIMITS.blocks, rank: 64 }));
    expect(ok.ok).toBe(true);
    expect(parseFeed(feedWith({ m: 64, n: 64, tokens: 1 }, { kind: 'blast', blocks: LIMITS.blocks + 1, rank: 64 })).ok).toBe(false);
    expect(parseFeed(feedWith({ m: LIMITS.size + 1, n: 64, tokens: 1 }, { kind: 'dense' })).ok).toBe(false);
    expect(blockChoices(LIMITS.size, LIMITS.size).at(-1)).toBe(LIMITS.blocks);
  });
});
