/**
 * Every structure × strategy in f32 (and f16 where the adapter has shader-f16) through Dawn,
 * against the f64 reference, on fresh random inputs with the output poisoned first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDevice } from '../../test/dawn';
import { freshSeed } from '../structures/random';
import { type DType, type LayerShape, type Problem, type StructureSpec } from '../structures/types';
import { STRATEGIES } from '../structures/kinds';
import { createEngine, type Engine } from './engine';
import { tileWorkgroupBytes, GEMM_TILES } from './gemm-plan';
import { EMULATED_SHAPES, planTarget } from './matrix';
import { fusedLaunch } from '../structures/kinds/lowrank';
import { buildPlan } from './plans';

let engine: Engine;
let hasF16 = false;

beforeAll(async () => {
  const { adapter, device } = await openTestDevice();
  engine = await createEngine(device, adapter);
  hasF16 = engine.summary().dtypes.includes('f16');
});
afterAll(() => engine?.destroy());

/** Shapes per structure: odd, non-power-of-two, T = 1, T not a multiple of any tile, a scaled-down paper config, and each kernel path (comments below). */
const SHAPES: Record<string, [LayerShape, StructureSpec][]> = {
  dense: [
    [{ m: 160, n: 96, tokens: 7 }, { kind: 'dense' }],
    [{ m: 37, n: 53, tokens: 1 }, { kind: 'dense' }],
    [{ m: 130, n: 70, tokens: 67 }, { kind: 'dense' }],
    [{ m: 256, n: 256, tokens: 19 }, { kind: 'dense' }],
    // T ≤ 16 takes gemv: K = 70 reads the weights as scalars (rows not multiples of 4), K = 68
    // and 72 as vec4; T = 3 and 5 leave rows of the register block masked; m = 50 and 45 leave
    // a workgroup's last columns past N
    [{ m: 50, n: 70, tokens: 3 }, { kind: 'dense' }],
    [{ m: 50, n: 70, tokens: 16 }, { kind: 'dense' }],
    [{ m: 45, n: 68, tokens: 5 }, { kind: 'dense' }],
    [{ m: 50, n: 72, tokens: 16 }, { kind: 'dense' }],
    // T = 2 streams 512 of K per stage (a ragged second stage at K = 516); T = 11 takes the
    // one-thread-per-row shape of 9–16 rows with 5 rows masked and a second, ragged workgroup
    [{ m: 33, n: 516, tokens: 2 }, { kind: 'dense' }],
    [{ m: 67, n: 132, tokens: 11 }, { kind: 'dense' }],
    // few columns, long K: gemv splits K into f32 partial sums and split-reduce adds them up
    // (vec4 loads; scalar loads, a short last split)
    [{ m: 64, n: 2048, tokens: 3 }, { kind: 'dense' }],
    [{ m: 40, n: 1030, tokens: 16 }, { kind: 'dense' }],
    // T ≥ 17 takes the tiles with vec4 workgroup memory (4 × 4 per thread; from T = 256,
    // 8 × 4, and 8 × 8 from 256 columns) with a ragged edge in both directions. The 8 × 8
    // tile loads K = 70 element by element, K = 76 and 260 (multiples of 4) with 16-byte loads:
    // K = 76 with a ragged last K tile of three vectors, K = 260 split into 4 (80, 80, 80, 20:
    // the last split one K tile and one vector)
    [{ m: 136, n: 70, tokens: 259 }, { kind: 'dense' }],
    [{ m: 2050, n: 70, tokens: 300 }, { kind: 'dense' }],
    [{ m: 2050, n: 76, tokens: 300 }, { kind: 'dense' }],
    [{ m: 2052, n: 260, tokens: 257 }, { kind: 'dense' }],
  ],
  lowrank: [
    [{ m: 160, n: 96, tokens: 7 }, { kind: 'lowrank', rank: 32 }],
    [{ m: 37, n: 53, tokens: 1 }, { kind: 'lowrank', rank: 5 }],
    [{ m: 130, n: 70, tokens: 67 }, { kind: 'lowrank', rank: 19 }],
    [{ m: 256, n: 256, tokens: 19 }, { kind: 'lowrank', rank: 64 }],
    // T ≥ 256 and ≥ 256 columns: both products on the 128 × 128 tile with 16-byte loads, ragged
    [{ m: 300, n: 264, tokens: 260 }, { kind: 'lowrank', rank: 260 }],
    // fused (fusedLaunch; the launches are checked below): 8 tokens a workgroup, the last one
    // ragged (T = 9, 13, 67, 260); rows of X, Vt and U read element by element (n = 53, 61, 70,
    // 103; r = 5, 19, 37, 53, 2051) or as vectors (n = 96, 100, 256, 264, 2056; r = 32, 44, 64,
    // 260), each width with the other; 2 to 32 lanes sharing a column of z (r ≤ 512), or one
    // (r = 2051: 8 columns a thread, phase 1 in two passes); X's tile ragged in n (every n but
    // 256); Y's last tile of 256 × 4 (or 8) outputs part-filled (every case)
    [{ m: 61, n: 103, tokens: 7 }, { kind: 'lowrank', rank: 37 }],
    [{ m: 103, n: 61, tokens: 9 }, { kind: 'lowrank', rank: 44 }],
    [{ m: 70, n: 100, tokens: 13 }, { kind: 'lowrank', rank: 53 }],
    [{ m: 2053, n: 2056, tokens: 1 }, { kind: 'lowrank', rank: 2051 }],
  ],
  monarch: [
    [{ m: 160, n: 96, tokens: 7 }, { kind: 'monarch', blocks: 4, rank: 32 }],
    [{ m: 36, n: 54, tokens: 1 }, { kind: 'monarch', blocks: 3, rank: 9 }],
    [{ m: 130, n: 70, tokens: 67 }, { kind: 'monarch', blocks: 2, rank: 22 }],
    // Llama-7B qkvo (4096², b=16, R=1024) scaled down by 16: 256², b=16, R=64
    [{ m: 256, n: 256, tokens: 19 }, { kind: 'monarch', blocks: 16, rank: 64 }],
    // T ≥ 256: both stages on the 8 × 4 tile (K tiles of 8; stage 1's K = n/b = 24, stage 2's = R = 40)
    [{ m: 512, n: 96, tokens: 260 }, { kind: 'monarch', blocks: 4, rank: 40 }],
    // stage 2 with m/b = 260 columns: the 128 × 128 tile with 16-byte loads and its interleaved store
    [{ m: 1040, n: 96, tokens: 260 }, { kind: 'monarch', blocks: 4, rank: 40 }],
    // stage 1 as b products of R columns stored in groups of R/b (from 256 tokens and R = 256):
    // through split-K's reduce (K = 256 in 4 splits), and unsplit from the 128 × 128 tile with
    // 16-byte loads, 264 columns in groups of 66 that end inside its column spans
    [{ m: 256, n: 512, tokens: 256 }, { kind: 'monarch', blocks: 2, rank: 256 }],
    [{ m: 264, n: 272, tokens: 300 }, { kind: 'monarch', blocks: 4, rank: 264 }],
  ],
  blast: [
    [{ m: 160, n: 96, tokens: 7 }, { kind: 'blast', blocks: 4, rank: 32 }],
    [{ m: 36, n: 54, tokens: 1 }, { kind: 'blast', blocks: 3, rank: 5 }],
    [{ m: 130, n: 70, tokens: 67 }, { kind: 'blast', blocks: 2, rank: 21 }],
    // Llama-7B qkvo scaled down: 256², b=16, r=64
    [{ m: 256, n: 256, tokens: 19 }, { kind: 'blast', blocks: 16, rank: 64 }],
    // T ≥ 64 takes blast-partial's 2 × 2 register tile with K tiles of 32 (n/b = 12, and 40:
    // one full K tile and a ragged one)
    [{ m: 160, n: 96, tokens: 75 }, { kind: 'blast', blocks: 8, rank: 24 }],
    [{ m: 96, n: 320, tokens: 70 }, { kind: 'blast', blocks: 8, rank: 24 }],
    // 13–16 blocks take the grouped tile (4 layers of 4 × 4 blocks, K tiles of 16, the Y tiles
    // passed through the A tiles): split in 4 steps of 4 blocks with 16-byte loads (n/b = 20);
    // 13 blocks with element loads (n/b = 10), the last 3 layers of the last step idle (splits
    // of 4, 4, 4 and 1 blocks); unsplit (T · r ≥ 2^18) with 16-byte loads, ragged tiles
    [{ m: 256, n: 320, tokens: 65 }, { kind: 'blast', blocks: 16, rank: 48 }],
    [{ m: 143, n: 130, tokens: 70 }, { kind: 'blast', blocks: 13, rank: 33 }],
    [{ m: 512, n: 512, tokens: 520 }, { kind: 'blast', blocks: 16, rank: 508 }],
    // blast-partial splits the input blocks over workgroups below 1024 tiles: every case above
    // splits them one per workgroup; 256 tiles split 5 blocks into 2, 2 and 1; 1024 tiles
    // leave them unsplit
    [{ m: 260, n: 260, tokens: 63 }, { kind: 'blast', blocks: 5, rank: 256 }],
    [{ m: 1024, n: 1024, tokens: 61 }, { kind: 'blast', blocks: 16, rank: 1024 }],
    // unfused's coupling step takes one thread per element of Z in every case above but
    // T = 520 (below 2^15 columns of tokens); here 87 columns of 3 tokens (20 blocks), the last
    // column ragged, × r = 400
    [{ m: 400, n: 400, tokens: 259 }, { kind: 'blast', blocks: 20, rank: 400 }],
  ],
};

const cases = Object.values(SHAPES).flatMap((list) =>
  list.flatMap(([shape, structure]) =>
    STRATEGIES[structure.kind].flatMap((strategy) =>
      (['f32', 'f16'] as DType[]).map((dtype) => ({ shape, structure, strategy, dtype })),
    ),
  ),
);

describe('kernels against the f64 reference', () => {
  it.for(cases)('$structure.kind $strategy $dtype m=$shape.m n=$shape.n T=$shape.tokens', async ({ shape, structure, strategy, dtype }, ctx) => {
    if (dtype === 'f16' && !hasF16) {
      ctx.skip("skipped: this adapter has no 'shader-f16' (SwiftShader never does); bench/gpu-verify.sh checks f16 on a GPU that has it");
    }
    const problem: Problem = { shape, structure, dtype };
    const seed = freshSeed();
    const r = await engine.verify(problem, strategy, { seed });
    const label = `seed=${seed} relErr=${r.relErr.toExponential(2)} ran=${r.plan.strategy}${r.plan.fallbackReason ? ` (${r.plan.fallbackReason})` : ''}`;
    expect(Number.isNaN(r.relErr), label).toBe(false);
    expect(r.relErr, label).toBeLessThan(dtype === 'f32' ? 1e-5 : 1e-2);
    expect(r.ok).toBe(true);
    expect(r.plan.requested).toBe(strategy);
  });
});

describe('the fused low-rank kernel', () => {
  const lowrankCases = SHAPES.lowrank.map(([shape, structure]) => ({ shape, structure: structure as { kind: 'lowrank'; rank: number } }));
  it.for(lowrankCases)('runs fused, without falling back, at m=$shape.m n=$shape.n T=$shape.tokens r=$structure.rank', ({ shape, structure }) => {
    expect(engine.plan({ shape, structure, dtype: 'f32' }, 'fused').strategy).toBe('fused');
  });

  it('gives the cases above the launches their comment names', () => {
    const limits = planTarget(engine.summary(), 'f32');
    const launch = (r: number, T: number) => fusedLaunch(r, T, limits);
    for (const T of [9, 13, 67, 260]) expect(launch(37, T).tokens).toBe(8);
    expect([5, 32, 37, 44, 53, 64, 260].map((r) => launch(r, 9).lanes)).toEqual([32, 32, 16, 16, 16, 16, 2]);
    // 256 threads × 8 columns: 2048 columns of z a pass
    expect(launch(2051, 1)).toEqual({ tokens: 1, columns: 8, lanes: 1 });
  });

  it('folds more than 65535 workgroups into two dimensions', () => {
    // one token a workgroup: r = 4000's z and X's tile need 16.5 KB of 32 KB
    const problem: Problem = { shape: { m: 4000, n: 4000, tokens: 65536 }, structure: { kind: 'lowrank', rank: 4000 }, dtype: 'f32' };
    const limits = { maxComputeWorkgroupStorageSize: 32768, maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 };
    expect(buildPlan(problem, 'fused', limits).steps.map((s) => s.workgroups)).toEqual([[65535, 2, 1]]);
  });
});

/**
 * The matrix-unit path (gemm-mma.wgsl) with its builtins emulated in plain WGSL: the same
 * tiling, staging, fragment offsets, ragged edges, split-K and strided stores as on real matrix
 * units, against the reference, in f32 (SwiftShader has no f16). Only plans with a product of
 * more than 16 tokens use it (gemv keeps fewer); each case takes the next of the three fragment
 * shapes that adapters report. bench/gpu-verify.sh runs the real builtins on a GPU.
 */
const matrixCases = cases
  .filter((c) => c.dtype === 'f32' && c.shape.tokens > 16)
  .map((c, i) => ({ ...c, fragment: EMULATED_SHAPES[i % EMULATED_SHAPES.length] }));

describe('kernels on emulated matrix units against the f64 reference', () => {
  it.for(matrixCases)('$structure.kind $strategy $fragment m=$shape.m n=$shape.n T=$shape.tokens', async ({ shape, structure, strategy, dtype, fragment }) => {
    const problem: Problem = { shape, structure, dtype };
    const seed = freshSeed();
    const r = await engine.verify(problem, strategy, { seed, path: 'emulated', fragment: [...fragment] });
    const label = `seed=${seed} relErr=${r.relErr.toExponential(2)} ran=${r.plan.strategy}`;
    expect(r.plan.path).toBe('emulated');
    expect(Number.isNaN(r.relErr), label).toBe(false);
    expect(r.relErr, label).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });

  // Two K tiles staged at once: ragged K tiles (70 = 2 · 32 + 6), split-K where the plan splits,
  // batched and interleaved stores, each fragment shape.
  const twoStages = [
    { shape: { m: 130, n: 70, tokens: 67 }, structure: { kind: 'dense' }, strategy: 'tiled', fragment: [8, 8, 8] },
    { shape: { m: 96, n: 200, tokens: 41 }, structure: { kind: 'monarch', blocks: 4, rank: 24 }, strategy: 'partial', fragment: [16, 8, 16] },
    { shape: { m: 130, n: 70, tokens: 67 }, structure: { kind: 'blast', blocks: 2, rank: 21 }, strategy: 'perm-fused', fragment: [16, 16, 16] },
  ] as const;
  it.for(twoStages)('stages two K tiles at once: $structure.kind $strategy $fragment m=$shape.m n=$shape.n T=$shape.tokens', async ({ shape, structure, strategy, fragment }) => {
    const problem: Problem = { shape, structure, dtype: 'f32' } as Problem;
    const seed = freshSeed();
    // 2 × 2 subgroups of one 16 × 16 fragment or 2 × 2 of 8 × 8: 20 KB of f32 staging in two stages
    const tile = { sgM: 2, sgN: 2, tm: fragment[0] === 8 ? 2 : 1, tn: fragment[0] === 8 ? 2 : 1, bk: 32, stages: 2 } as const;
    const r = await engine.verify(problem, strategy, { seed, path: 'emulated', fragment: [...fragment], mmaTile: tile });
    const label = `seed=${seed} relErr=${r.relErr.toExponential(2)} ran=${r.plan.strategy}`;
    expect(r.plan.dispatches.some((d) => d.kernel === 'gemm-mma')).toBe(true);
    expect(Number.isNaN(r.relErr), label).toBe(false);
    expect(r.relErr, label).toBeLessThan(1e-5);
  });

  it('puts every product of more than 16 tokens on gemm-mma', () => {
    const problem: Problem = { shape: { m: 130, n: 70, tokens: 67 }, structure: { kind: 'blast', blocks: 2, rank: 21 }, dtype: 'f32' };
    const kernels = engine.plan(problem, 'perm-fused', { path: 'emulated' }).dispatches.map((d) => d.kernel);
    expect(kernels).toEqual(['gemm-mma', 'gemm-mma', 'gemm-mma']);
    expect(engine.plan(problem, 'perm-fused', { path: 'fma' }).dispatches.map((d) => d.kernel)).toEqual(['gemm', 'gemm', 'gemm']);
  });

  it('refuses the matrix path on an adapter without matrix units, saying so', () => {
    const problem: Problem = { shape: { m: 64, n: 64, tokens: 32 }, structure: { kind: 'dense' }, dtype: 'f32' };
    expect(() => engine.plan(problem, 'tiled', { path: 'matrix' })).toThrow(/no matrix unit for f32 operands: it reports no subgroup-matrix configs/);
  });
});

describe('on an adapter with WebGPU\'s minimum workgroup memory (16 KB)', () => {
  let small: Engine;
  beforeAll(async () => {
    // WebGPU's default limits, as a device asking for nothing gets them
    const { adapter, device } = await openTestDevice(() => ({}));
    expect(device.limits.maxComputeWorkgroupStorageSize).toBe(16384);
    small = await createEngine(device, adapter);
  });
  afterAll(() => small?.destroy());

  // gemm-plan.test.ts checks the choice; a padded 128 × 128 tile would fail to build here.
  // K = 72 takes the 16-byte loads, K = 70 the element loads.
  it.for([72, 70])('runs the 128 × 128 tile, unpadded since padded it needs more (K = %i)', async (n) => {
    expect(tileWorkgroupBytes(GEMM_TILES.LARGE, 1)).toBeGreaterThan(16384);
    const problem: Problem = { shape: { m: 2050, n, tokens: 259 }, structure: { kind: 'dense' }, dtype: 'f32' };
    const r = await small.verify(problem, 'tiled', { seed: freshSeed() });
    expect(r.relErr).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });

  // gemm-mma's tile shrinks to what fits (gemm-plan.test.ts checks the choice)
  it.for(EMULATED_SHAPES.map((f) => [...f]))('runs emulated matrix units on the tile that fits (fragment %j)', async (fragment) => {
    const problem: Problem = { shape: { m: 300, n: 76, tokens: 259 }, structure: { kind: 'dense' }, dtype: 'f32' };
    const r = await small.verify(problem, 'tiled', { seed: freshSeed(), path: 'emulated', fragment: fragment as [number, number, number] });
    expect(r.relErr).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });

  // z of r = 701 and X's tile fill the 16 KB at 4 tokens a workgroup: T = 7 in two, the last ragged
  it('runs the fused low-rank kernel at the tokens a workgroup that fit', async () => {
    const problem: Problem = { shape: { m: 703, n: 709, tokens: 7 }, structure: { kind: 'lowrank', rank: 701 }, dtype: 'f32' };
    expect(fusedLaunch(701, 7, planTarget(small.summary(), 'f32'))).toEqual({ tokens: 4, columns: 4, lanes: 1 });
    const r = await small.verify(problem, 'fused', { seed: freshSeed() });
    expect(r.plan.strategy).toBe('fused');
    expect(r.relErr).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });

  // 8 tokens with vec4 loads: the gemv launch that needs all 16 KB (gemm-plan.test.ts counts it)
  it('runs gemv at 8 tokens, whose workgroup memory is exactly the minimum', async () => {
    const problem: Problem = { shape: { m: 40, n: 1028, tokens: 8 }, structure: { kind: 'dense' }, dtype: 'f32' };
    const r = await small.verify(problem, 'tiled', { seed: freshSeed() });
    expect(r.relErr).toBeLessThan(1e-5);
    expect(r.ok).toBe(true);
  });
});
