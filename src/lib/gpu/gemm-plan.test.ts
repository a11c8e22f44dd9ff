import { LIMITS as PLAYGROUND_LIMITS } from '../limits';
import { describe, expect, it } from 'vitest';
import type { Problem, Strategy } from '../structures/types';
import { chooseGemmTile, chooseMmaTile, gemmSteps, gemvWorkgroupBytes, GEMM_TILES, mmaDispatch, mmaWorkgroupBytes, tileWorkgroupBytes, waveSplits } from './gemm-plan';
import { buildPlan } from './plans';
import { specialisationKey, specialise, type Specialisation } from './shaders';

const WEBGPU_MIN = 16384;
const LIMITS = { maxComputeWorkgroupStorageSize: 49152, maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 31 };

describe('GEMM tiles', () => {
  it("sizes each GEMM step's staging registers (PREFETCH) to exactly one K tile per thread", () => {
    const problems: [Problem, Strategy][] = [
      [{ shape: { m: 4096, n: 4096, tokens: 1024 }, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled'],
      [{ shape: { m: 4096, n: 4096, tokens: 1024 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f32' }, 'partial'],
      [{ shape: { m: 4096, n: 4096, tokens: 40 }, structure: { kind: 'lowrank', rank: 1024 }, dtype: 'f32' }, 'tiled'],
      ...[1, 100].map((tokens): [Problem, Strategy] => [{ shape: { m: 4096, n: 4096, tokens }, structure: { kind: 'blast', blocks: 16, rank: 1024 }, dtype: 'f32' }, 'partial']),
    ];
    const steps = problems.flatMap(([p, s]) => buildPlan(p, s, LIMITS).steps).filter((s) => s.kernel === 'gemm' || s.kernel === 'blast-partial');
    expect(new Set(steps.map((s) => s.spec.wideInputs))).toEqual(new Set([true, false]));
    for (const { spec, overrides: o } of steps) {
      const threads = o.WG_X * o.WG_Y;
      if (spec.wideInputs) {
        // gemm-load-wide.wgsl: 4 vectors per block of 4 rows × 4 k, A's and B's blocks together
        const blocks = ((o.WG_Y * spec.tm! + o.WG_X * spec.tn!) / 4) * (o.BK / 4);
        expect(spec.prefetch! % 4).toBe(0);
        expect((spec.prefetch! / 4) * threads).toBeGreaterThanOrEqual(blocks);
        expect((spec.prefetch! / 4 - 1) * threads).toBeLessThan(blocks);
      } else {
        // gemm-load.wgsl: the vectors of the larger side
        const vectors = (Math.max(o.WG_Y * spec.tm!, o.WG_X * spec.tn!) / spec.vw!) * o.BK;
        expect(spec.prefetch! * threads).toBeGreaterThanOrEqual(vectors);
        expect((spec.prefetch! - 1) * threads).toBeLessThan(vectors);
      }
    }
  });

  it("fits BLAST partial's tiles to the adapter's workgroup memory for any block count and token count, padded where the grouped tile's K tiles of 16 allow", () => {
    for (const workgroupBytes of [WEBGPU_MIN, LIMITS.maxComputeWorkgroupStorageSize]) {
      for (const blocks of [1, 2, 5, 16, 17, 32]) {
        for (const tokens of [1, 63, 64, 1024]) {
          const problem: Problem = { shape: { m: 96 * blocks, n: 96 * blocks, tokens }, structure: { kind: 'blast', blocks, rank: 64 }, dtype: 'f32' };
          const limits = { ...LIMITS, maxComputeWorkgroupStorageSize: workgroupBytes };
          const step = buildPlan(problem, 'partial', limits).steps.find((s) => s.kernel === 'blast-partial')!;
          const { WG_X, WG_Y, BK, PAD } = step.overrides;
          const groups = step.spec.groups!;
          expect(PAD).toBe(groups > 1 && workgroupBytes === WEBGPU_MIN ? 0 : 1);
          expect(WG_X * WG_Y * groups).toBeLessThanOrEqual(256);
          expect(groups * tileWorkgroupBytes({ wgX: WG_X, wgY: WG_Y, tm: step.spec.tm!, tn: step.spec.tn!, bk: BK }, PAD as 0 | 1)).toBeLessThanOrEqual(workgroupBytes);
        }
      }
    }
  });

  it("gives BLAST partial with 13–16 blocks from 64 tokens the grouped tile: 4 layers of 4 × 4 blocks, K tiles of 16 where they fit", () => {
    const tileOf = (blocks: number, tokens: number, workgroupBytes: number) => {
      const problem: Problem = { shape: { m: 256 * blocks, n: 256 * blocks, tokens }, structure: { kind: 'blast', blocks, rank: 1024 }, dtype: 'f32' };
      const step = buildPlan(problem, 'partial', { ...LIMITS, maxComputeWorkgroupStorageSize: workgroupBytes }).steps.find((s) => s.kernel === 'blast-partial')!;
      return [step.spec.groups, step.spec.tm, step.spec.vw, step.overrides.BK];
    };
    expect(tileOf(16, 1024, LIMITS.maxComputeWorkgroupStorageSize)).toEqual([4, 4, 4, 16]);
    expect(tileOf(16, 1024, WEBGPU_MIN)).toEqual([4, 4, 4, 16]); // unpadded: 4 layers' tiles take 16 KB
    expect(tileOf(13, 64, LIMITS.maxComputeWorkgroupStorageSize)).toEqual([4, 4, 4, 16]);
    expect(tileOf(8, 1024, LIMITS.maxComputeWorkgroupStorageSize)).toEqual([1, 2, 1, 32]);
    expect(tileOf(32, 1024, LIMITS.maxComputeWorkgroupStorageSize)).toEqual([1, 1, 1, 32]);
    expect(tileOf(16, 63, LIMITS.maxComputeWorkgroupStorageSize)).toEqual([1, 1, 1, 32]);
  });

  it('counts workgroup bytes as f32 vectors with the k-row padding', () => {
    expect(tileWorkgroupBytes(GEMM_TILES.LARGE, 0)).toBe(WEBGPU_MIN);
    expect(tileWorkgroupBytes(GEMM_TILES.LARGE, 1)).toBe(16896);
    expect(tileWorkgroupBytes(GEMM_TILES.WIDE, 1)).toBe(8704);
  });

  it('pads the large tile where it fits, drops the padding at the WebGPU minimum, takes the tall tile for few columns and the wide tile for few rows', () => {
    expect(chooseGemmTile(1024, 4096, 49152)).toEqual({ tile: GEMM_TILES.LARGE, pad: 1 });
    expect(chooseGemmTile(1024, 4096, WEBGPU_MIN)).toEqual({ tile: GEMM_TILES.LARGE, pad: 0 });
    expect(chooseGemmTile(64, 4096, WEBGPU_MIN)).toEqual({ tile: GEMM_TILES.WIDE, pad: 1 });
    expect(chooseGemmTile(1024, 64, WEBGPU_MIN)).toEqual({ tile: GEMM_TILES.TALL, pad: 1 });
    expect(chooseGemmTile(1024, 255, 49152)).toEqual({ tile: GEMM_TILES.TALL, pad: 1 });
    expect(chooseGemmTile(1024, 256, 49152)).toEqual({ tile: GEMM_TILES.LARGE, pad: 1 });
    expect(chooseGemmTile(1024, 4096, 12000)).toEqual({ tile: GEMM_TILES.WIDE, pad: 1 });
    expect(() => chooseGemmTile(1024, 4096, 4096)).toThrow(/no GEMM tile fits 4096 B/);
  });
});

const denseGemm = (m: number, n: number, tokens: number) =>
  buildPlan({ shape: { m, n, tokens }, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled', LIMITS).steps;

describe('GEMM loads', () => {
  it('reads A and B with 16-byte loads on the 128 × 128 tile where K and every row are multiples of 4', () => {
    expect(denseGemm(4096, 4096, 1024)[0].spec.wideInputs).toBe(true);
    expect(denseGemm(4096, 4094, 1024)[0].spec.wideInputs).toBe(false);
  });

  it('keeps element loads on the tiles whose blocks of 4 rows × 4 k would leave threads idle (128 × 64, 64 × 64)', () => {
    const [tall] = denseGemm(128, 4096, 1024); // 128 columns: the 128 × 64 tile
    expect([tall.spec.tn, tall.spec.wideInputs]).toEqual([GEMM_TILES.TALL.tn, false]);
    const [wideTile] = denseGemm(4096, 4096, 100);
    expect(wideTile.spec.tm).toBe(GEMM_TILES.WIDE.tm);
    expect(wideTile.spec.wideInputs).toBe(false);
  });

  it("gives both of Monarch partial's stages the 128 × 128 tile and its loads at the Llama-7B shapes", () => {
    const monarch: Problem = { shape: { m: 4096, n: 11008, tokens: 1024 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f32' };
    const [stage1, stage2] = buildPlan(monarch, 'partial', LIMITS).steps.filter((s) => s.kernel === 'gemm');
    // stage 1: 16 products of R = 1024 columns (their groups of R/b = 64 stored T·R apart); stage 2: m/b = 256 columns
    expect([stage1.params.N, stage1.workgroups[2], stage1.params.c_group, stage1.params.c_group_stride]).toEqual([1024, 16, 64, 1024 * 1024]);
    for (const step of [stage1, stage2]) expect([step.spec.tn, step.spec.wideInputs], step.name).toEqual([GEMM_TILES.LARGE.tn, true]);
    // only the grouped store compiles the division by the group
    expect([stage1.overrides.C_GROUPED, stage2.overrides.C_GROUPED]).toEqual([1, undefined]);
    // stage 2 interleaves its 16 blocks' columns in Y: the block goes first in the launch order
    expect([stage1.overrides.BATCH_FIRST, stage2.overrides.BATCH_FIRST]).toEqual([undefined, 1]);
    expect(stage2.workgroups).toEqual([16, 2, 8]);
    expect(denseGemm(4096, 4096, 1024)[0].overrides.BATCH_FIRST).toBeUndefined();
  });

  it("keeps Monarch partial's stage 1 as b² products of R/b columns where grouping would not change its tile", () => {
    const stage1 = (tokens: number, m: number, n: number, blocks: number, rank: number) => {
      const problem: Problem = { shape: { m, n, tokens }, structure: { kind: 'monarch', blocks, rank }, dtype: 'f32' };
      const step = buildPlan(problem, 'partial', LIMITS).steps.find((s) => s.name === 'stage1-gemm')!;
      return { columns: step.params.N, batches: step.workgroups[2] / step.params.splits, grouped: step.overrides.C_GROUPED === 1 };
    };
    expect(stage1(1024, 4096, 4096, 16, 1024)).toEqual({ columns: 1024, batches: 16, grouped: true });
    // 128 tokens: the 64 × 64 tile either way; 16: gemv, which stores no groups
    expect(stage1(128, 4096, 4096, 16, 1024)).toEqual({ columns: 64, batches: 256, grouped: false });
    expect(stage1(16, 4096, 4096, 16, 1024)).toEqual({ columns: 64, batches: 256, grouped: false });
    // R = 192 (GPT2-S): the 128 × 64 tile either way; R/b = 256: the 128 × 128 tile without groups
    expect(stage1(1024, 2304, 768, 4, 192)).toEqual({ columns: 48, batches: 16, grouped: false });
    expect(stage1(1024, 1024, 1024, 2, 512)).toEqual({ columns: 256, batches: 4, grouped: false });
  });

  it('refuses a grouped store on gemv, which has none', () => {
    const ctx = { dtype: 'f32' as const, workgroupBytes: 49152, bindingBytes: 2 ** 31, addTensor: () => {} };
    const product = { M: 16, N: 64, K: 64, A: { tensor: 'A', ld: 64 }, B: { tensor: 'B', ld: 64 }, C: { tensor: 'C', ld: 64, group: { cols: 16, stride: 1024 } } };
    expect(() => gemmSteps('grouped', product, ctx)).toThrow(/no column groups/);
    expect(gemmSteps('grouped', { ...product, M: 17 }, ctx)[0].overrides.C_GROUPED).toBe(1);
  });

  it("asks BLAST partial for them on its grouped tile with K tiles of 16, where n/b is a multiple of 4", () => {
    const wide = (n: number, tokens: number, workgroupBytes = LIMITS.maxComputeWorkgroupStorageSize) => {
      const blast: Problem = { shape: { m: 4096, n, tokens }, structure: { kind: 'blast', blocks: 16, rank: 1024 }, dtype: 'f32' };
      const step = buildPlan(blast, 'partial', { ...LIMITS, maxComputeWorkgroupStorageSize: workgroupBytes }).steps.find((s) => s.kernel === 'blast-partial')!;
      return Boolean(step.spec.wideInputs);
    };
    expect(wide(4096, 1024)).toBe(true);
    expect(wide(4096 + 32, 1024)).toBe(false); // n/b = 258
    expect(wide(4096, 1024, WEBGPU_MIN)).toBe(true); // unpadded
    expect(wide(4096, 1024, 12 * 1024)).toBe(false); // K tiles of 8: 32 blocks for 64 threads
    expect(wide(4096, 63)).toBe(false);
  });

  it("gives kernels.test.ts's dense GEMM cases the loads and splits their comments name", () => {
    for (const n of [72, 70]) expect(denseGemm(2050, n, 259)[0].spec.wideInputs).toBe(n === 72);
    for (const [m, n, tokens] of [[136, 70, 259], [2050, 70, 300]]) expect(denseGemm(m, n, tokens)[0].spec.wideInputs).toBe(false);
    const [ragged] = denseGemm(2050, 76, 300);
    expect([ragged.spec.tn, ragged.spec.wideInputs]).toEqual([GEMM_TILES.LARGE.tn, true]);
    expect(76 % ragged.overrides.BK).toBe(12);
    const split = denseGemm(2052, 260, 257);
    expect(split.map((s) => s.kernel)).toEqual(['gemm', 'split-reduce']);
    expect(split[0].spec.wideInputs).toBe(true);
    expect(split[0].workgroups[2]).toBe(4);
    expect(split[0].params.kPerSplit).toBe(80); // K per split: 80, 80, 80 and 20
  });
});

describe('GEMM split-K by waves', () => {
  it('leaves a product that fills its waves unsplit', () => {
    expect(waveSplits(264, 4096, 16, 64, 264)).toBe(1);
    expect(waveSplits(528, 4096, 16, 64, 264)).toBe(1);
  });

  it('splits a product of few workgroups into as many ranges as fit one wave', () => {
    expect(waveSplits(32, 4096, 16, 64, 264)).toBe(8);
    expect(waveSplits(33, 4096, 16, 64, 264)).toBe(8); // 8 × 33 = 264
    expect(waveSplits(34, 4096, 16, 64, 264)).toBe(7);
  });

  it('picks the split count that fills the last wave (688 workgroups: 3 splits are 7.8 of 8 waves)', () => {
    expect(waveSplits(688, 4096, 16, 64, 264)).toBe(3);
  });

  it('never splits past the longest K it may split', () => {
    expect(waveSplits(1, 4096, 16, 5, 264)).toBe(5);
  });

  const gemms = (problem: Problem, strategy: Strategy, limits = LIMITS) =>
    buildPlan(problem, strategy, limits).steps.filter((s) => s.kernel === 'gemm');
  const llama = (tokens: number, structure: Problem['structure']): Problem => ({ shape: { m: 4096, n: 4096, tokens }, structure, dtype: 'f32' });

  it('gives each product of a plan its own split count, batches counted as workgroups', () => {
    expect(gemms(llama(1024, { kind: 'dense' }), 'tiled').map((s) => s.workgroups)).toEqual([[32, 8, 1]]);
    expect(gemms(llama(128, { kind: 'dense' }), 'tiled').map((s) => s.workgroups)).toEqual([[64, 2, 4]]);
    // stage 2: 16 batches of 4 × 2 workgroups, 4 splits each
    expect(gemms(llama(128, { kind: 'monarch', blocks: 16, rank: 1024 }), 'partial').map((s) => s.workgroups)).toEqual([[1, 2, 256], [4, 2, 64]]);
  });

  it("splits only as far as the partial sums fit the adapter's largest binding", () => {
    // f16 gate_up at T=1024: 3 splits of f32 sums would take 129 MiB, over a 128 MiB binding
    // that holds the f16 weights (86 MiB)
    const gateUp: Problem = { shape: { m: 11008, n: 4096, tokens: 1024 }, structure: { kind: 'dense' }, dtype: 'f16' };
    expect(gemms(gateUp, 'tiled')[0].workgroups[2]).toBe(3);
    const binding = { ...LIMITS, maxStorageBufferBindingSize: 128 * 2 ** 20 };
    const [capped] = gemms(gateUp, 'tiled', binding);
    expect(capped.workgroups[2] * 1024 * 11008 * 4).toBeLessThanOrEqual(128 * 2 ** 20);
    // the longest K a problem may have (every split candidate is costed) plans without overflowing
    const long = gemms({ shape: { m: 17, n: PLAYGROUND_LIMITS.size, tokens: 17 }, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled');
    expect(long[0].workgroups[2]).toBeGreaterThan(1);
  });
});

describe('BLAST partial', () => {
  const steps = (m: number, n: number, tokens: number, blocks: number, rank: number) =>
    buildPlan({ shape: { m, n, tokens }, structure: { kind: 'blast', blocks, rank }, dtype: 'f32' }, 'partial', LIMITS).steps;

  it('splits the input blocks over workgroups where few tiles cover the tokens and rank', () => {
    const plan = buildPlan({ shape: { m: 4096, n: 4096, tokens: 1 }, structure: { kind: 'blast', blocks: 16, rank: 1024 }, dtype: 'f16' }, 'partial', LIMITS);
    // f32 partial sums even in f16: 16 splits × b · T · r
    expect(plan.tensors['Z:partials']).toEqual({ elements: 16 * 16 * 1024, role: 'intermediate', f32: true });
    const [sum, reduce] = steps(4096, 4096, 1, 16, 1024);
    expect(sum.workgroups).toEqual([64, 1, 16]);
    expect(sum.overrides.SPLIT_BLOCKS).toBe(1);
    expect(sum.spec.f32Out).toBe(true);
    expect(reduce.kernel).toBe('split-reduce');
    expect(reduce.params).toMatchObject({ M: 1, N: 1024, batches: 16, batchInner: 1, splits: 16 });
    // Z as gemm-u reads it: (b, T, r), one column group
    expect(reduce.params).toMatchObject({ c_off: 0, c_ld: 1024, c_col: 1, c_outer: 1024, c_inner: 0, c_group: 1024, c_group_stride: 0 });
    const [ragged] = steps(260, 260, 63, 5, 256);
    expect([ragged.workgroups[2], ragged.overrides.SPLIT_BLOCKS]).toEqual([3, 2]);
  });

  it("splits only as far as the partial sums fit the adapter's largest binding", () => {
    // T=16: 4 splits of 16 × 16 × 1024 f32 (1 MiB each); bindings of 2.5 MiB hold 2
    const small = { ...LIMITS, maxStorageBufferBindingSize: 2.5 * 2 ** 20 };
    const [sum] = buildPlan({ shape: { m: 1024, n: 1024, tokens: 16 }, structure: { kind: 'blast', blocks: 16, rank: 1024 }, dtype: 'f16' }, 'partial', small).steps;
    expect([sum.workgroups[2], sum.overrides.SPLIT_BLOCKS]).toEqual([2, 8]);
  });

  it('leaves them unsplit from 2^18 outputs per block (T · r), where the tiles fill the GPU', () => {
    const [below] = steps(768, 3072, 1024, 6, 192); // GPT2-S c_proj: 196 608 outputs, 192 tiles
    expect([below.workgroups[2], below.overrides.SPLIT_BLOCKS]).toEqual([6, 1]);
    // Llama-7B qkvo at T = 128 on the grouped tile: splits take whole steps of its 4 layers' blocks
    const [grouped] = steps(4096, 4096, 128, 16, 1024);
    expect([grouped.workgroups[2], grouped.overrides.SPLIT_BLOCKS, grouped.spec.groups]).toEqual([4, 4, 4]);
    const [at, next] = steps(2048, 2048, 1024, 16, 256); // Llama-1B qo: 262 144 outputs, 256 tiles
    expect([at.workgroups[2], at.overrides.SPLIT_BLOCKS]).toEqual([1, 16]);
    expect(next.kernel).not.toBe('split-reduce');
  });

  it('leaves them unsplit from 1024 tiles', () => {
    // below 64 tokens the tiles are 16 ranks × 4 tokens: ⌈r/16⌉ · ⌈T/4⌉ = 63 · 16, then 64 · 16
    const [below] = steps(1024, 1024, 61, 16, 1008);
    expect([below.workgroups[2], below.overrides.SPLIT_BLOCKS]).toEqual([2, 8]);
    const [sum, next] = steps(1024, 1024, 61, 16, 1024);
    expect(sum.workgroups[2]).toBe(1);
    expect(sum.overrides.SPLIT_BLOCKS).toBe(16);
    expect(sum.spec.f32Out).toBe(false);
    expect(next.kernel).not.toBe('split-reduce');
  });
});

describe('BLAST unfused coupling step', () => {
  const couple = (tokens: number, blocks: number, rank: number) =>
    buildPlan({ shape: { m: 4096, n: 4096, tokens }, structure: { kind: 'blast', blocks, rank }, dtype: 'f32' }, 'unfused', LIMITS).steps.find((s) => s.kernel === 'blast-couple')!;

  it('gives a thread a column of tokens and all b output blocks where that makes 2^15 threads', () => {
    // Llama-7B qkvo at T = 128: 32 columns of 4 tokens × r = 1024
    const step = couple(128, 16, 1024);
    expect(step.entryPoint).toBeUndefined();
    expect([step.spec.blocks, step.spec.tm]).toEqual([16, 4]);
    expect(step.workgroups[0] * step.workgroups[1] * 256).toBeGreaterThanOrEqual(32 * 1024);
  });

  it('keeps one thread per element of Z below, as few tokens leave r to 4r columns', () => {
    const step = couple(16, 16, 1024); // 4 · 1024 columns: 16 · 16 · 1024 threads instead
    expect(step.entryPoint).toBe('per_element');
    expect(step.spec.tm).toBeUndefined();
    expect(step.workgroups[0] * step.workgroups[1] * 256).toBeGreaterThanOrEqual(16 * 16 * 1024);
    // more blocks leave fewer tokens to a column (64 registers hold b · tokens values)
    expect(couple(1024, 32, 1024).spec.tm).toBe(2);
  });
});

const gemvStep = (m: number, n: number, tokens: number, limits = LIMITS) =>
  buildPlan({ shape: { m, n, tokens }, structure: { kind: 'dense' }, dtype: 'f32' }, 'tiled', limits).steps[0];

describe('gemv launches', () => {
  it("fit WebGPU's minimum workgroup memory and stage exactly one stage of token rows per thread", () => {
    const minimum = { ...LIMITS, maxComputeWorkgroupStorageSize: WEBGPU_MIN };
    for (let tokens = 1; tokens <= 16; tokens++) {
      for (const n of [4096, 4094]) {
        // gemvLaunch refuses a shape over the limit, so building the plan is the check
        const { kernel, spec, overrides: o } = gemvStep(4096, n, tokens, minimum);
        expect(kernel).toBe('gemv');
        expect(spec.tm).toBeGreaterThanOrEqual(tokens);
        const threads = o.LANES * o.COLS;
        const staged = spec.tm! * o.LANES * spec.unroll!;
        expect(spec.prefetch! * threads).toBeGreaterThanOrEqual(staged);
        expect((spec.prefetch! - 1) * threads).toBeLessThan(staged);
      }
    }
  });

  it('counts workgroup bytes as gemv.wgsl declares them: staged f32 vectors and the lanes\' sums', () => {
    expect(gemvWorkgroupBytes({ lanes: 16, cols: 16, unroll: 4 }, 8, 4)).toBe(WEBGPU_MIN);
    expect(gemvWorkgroupBytes({ lanes: 1, cols: 64, unroll: 8 }, 16, 1)).toBe(4 * (16 * 8 + 64 * 16));
    expect(() => gemvStep(4096, 4096, 8, { ...LIMITS, maxComputeWorkgroupStorageSize: 16000 })).toThrow(/16384 B of workgroup memory, over 16000/);
  });

  it("gives kernels.test.ts's gemv cases the shapes their comments name", () => {
    // 2 tokens: 512 of K per stage; 11 tokens: one thread walks each weight row
    const two = gemvStep(33, 516, 2);
    expect(two.overrides.LANES * two.spec.unroll! * two.spec.vw!).toBe(512);
    expect(gemvStep(67, 132, 11).overrides.LANES).toBe(1);
    expect(gemvStep(40, 1028, 8).spec.vw).toBe(4);
  });
});

describe('gemm-core specialisation', () => {
  it('keys a module by every constant it was given, whatever the order, and by nothing else', () => {
    const spec: Required<Specialisation> = { dtype: 'f32', tm: 8, tn: 4, f32Out: true, blocks: 4, groups: 2, prefetch: 2, unroll: 8, vw: 4, wideInputs: true,
      mma: { unit: { m: 16, n: 16, k: 16, result: 'f32', emulated: false }, sgM: 2, sgN: 2, bk: 32, subgroupSize: 32 }, rowVectors: { n: true, r: true } };
    const key = specialisationKey('gemm', spec);
    const changed: Required<Specialisation> = { dtype: 'f16', tm: 4, tn: 8, f32Out: false, blocks: 8, groups: 4, prefetch: 1, unroll: 4, vw: 1, wideInputs: false,
      mma: { unit: { m: 8, n: 8, k: 8, result: 'f32', emulated: true }, sgM: 2, sgN: 2, bk: 32, subgroupSize: 32 }, rowVectors: { n: true, r: false } };
    for (const field of Object.keys(spec) as (keyof Specialisation)[]) {
      expect(specialisationKey('gemm', { ...spec, [field]: changed[field] }), field).not.toBe(key);
    }
    expect(specialisationKey('gemv', spec)).not.toBe(key);
    const reversed = Object.fromEntries(Object.entries(spec).reverse()) as unknown as Specialisation;
    expect(specialisationKey('gemm', reversed)).toBe(key);
    expect(specialisationKey('gemm', { dtype: 'f32', f32Out: false })).toBe(specialisationKey('gemm', { dtype: 'f32' }));
  });

  it('refuses a kernel that includes the tile loop without its staging size', () => {
    expect(() => specialise('gemm', { dtype: 'f32', tm: 8, tn: 8, vw: 4 })).toThrow(/staging size \(prefetch\)/);
    expect(() => specialise('gemv', { dtype: 'f32', tm: 4, vw: 4, prefetch: 1 })).toThrow(/stage depth \(unroll\)/);
    expect(specialise('blast-partial', { dtype: 'f32', tm: 2, tn: 2, vw: 1, blocks: 4, prefetch: 4 })).toContain('const PREFETCH: u32 = 4u;');
  });

  it('takes the 16-byte tile loads with vec4 inputs, the element loads otherwise, and refuses vec4 inputs to a kernel that binds its own as elem', () => {
    const spec: Specialisation = { dtype: 'f32', tm: 8, tn: 8, vw: 4, prefetch: 2 };
    const wide = specialise('gemm', { ...spec, wideInputs: true });
    const element = specialise('gemm', spec);
    expect(wide).toContain('vec4<f32>(A[at])');
    expect(wide).not.toContain('f32(A[a.base');
    expect(element).toContain('f32(A[a.base + r * a.ld + (k0 + kk) * a.ks])');
    expect(specialise('blast-partial', { ...spec, blocks: 4, wideInputs: true })).toContain('vec4<f32>(A[at])');
    expect(() => specialise('fused-monarch', { ...spec, wideInputs: true })).toThrow(/binds its own inputs as elem/);
  });

  it('binds the fused low-rank rows as vectors only where their lengths allow, and asks for those widths', () => {
    const spec: Specialisation = { dtype: 'f32', tm: 8, tn: 4, vw: 4 };
    const nWide = specialise('fused-lowrank', { ...spec, rowVectors: { n: true, r: false } });
    expect(nWide).toContain('alias N_ELEM = vec4<elem>;');
    expect(nWide).toContain('alias R_ELEM = elem;');
    expect(specialise('fused-lowrank', { ...spec, rowVectors: { n: false, r: true } })).toContain('alias R_ELEM = vec4<elem>;');
    expect(() => specialise('fused-lowrank', spec)).toThrow(/rowVectors/);
    expect(() => specialise('gemm', { ...spec, prefetch: 2, rowVectors: { n: true, r: true } })).toThrow(/fused-lowrank alone/);
  });
});

describe('gemm-mma tiles', () => {
  const unit = { m: 16, n: 16, k: 16, result: 'f32', emulated: false } as const;
  it('takes 128 × 128 tiles for large products, 64 × 64 for small ones, and shrinks to what the workgroup memory holds', () => {
    expect(chooseMmaTile(1024, 4096, unit, 'f16', 49152)).toMatchObject({ sgM: 2, sgN: 2, tm: 4, tn: 4, bk: 32 });
    expect(chooseMmaTile(100, 4096, unit, 'f16', 49152)).toMatchObject({ tm: 2, tn: 2 });
    expect(chooseMmaTile(1024, 4096, unit, 'f32', 16384)).toMatchObject({ tm: 1, tn: 1 });
    for (const [M, N, dtype, bytes] of [[1024, 4096, 'f16', 49152], [300, 300, 'f32', 16384], [17, 9, 'f32', 16384]] as const) {
      expect(mmaWorkgroupBytes(chooseMmaTile(M, N, unit, dtype, bytes), unit, dtype)).toBeLessThanOrEqual(bytes);
    }
    expect(() => chooseMmaTile(1024, 4096, unit, 'f32', 2048)).toThrow(/no matrix-unit tile fits 2048 B/);
  });

  it('counts two staged K tiles twice, and specialises the kernel for them', () => {
    const tile = { sgM: 2, sgN: 2, tm: 4, tn: 4, bk: 32 };
    const results = 4 * 16 * 16 * 4;
    const one = mmaWorkgroupBytes(tile, unit, 'f16') - results;
    expect(mmaWorkgroupBytes({ ...tile, stages: 2 }, unit, 'f16') - results).toBe(2 * one);
    expect(mmaDispatch(tile, unit, 32, 'f16', 1000, 300, true).spec.mma.stages).toBeUndefined();
    const two = mmaDispatch({ ...tile, stages: 2 }, unit, 32, 'f16', 1000, 300, true).spec;
    expect(two.mma.stages).toBe(2);
    expect(specialise('gemm-mma', two)).toContain('const STAGES: u32 = 2u;');
    expect(specialise('gemm-mma', mmaDispatch(tile, unit, 32, 'f16', 1000, 300, true).spec)).toContain('const STAGES: u32 = 1u;');
  });

  it('stages exactly one K tile per thread and covers the output with its workgroups', () => {
    for (const tile of [{ sgM: 2, sgN: 2, tm: 4, tn: 4, bk: 32 }, { sgM: 2, sgN: 4, tm: 4, tn: 2, bk: 64 }, { sgM: 2, sgN: 2, tm: 1, tn: 1, bk: 16 }]) {
      for (const u of [unit, { ...unit, n: 8 }, { m: 8, n: 8, k: 8, result: 'f32', emulated: true } as const]) {
        const { spec, grid } = mmaDispatch(tile, u, 32, 'f16', 1000, 300, true);
        const threads = tile.sgM * tile.sgN * 32;
        const vectors = ((tile.sgM * tile.tm * u.m + tile.sgN * tile.tn * u.n) * tile.bk) / 4;
        expect(spec.prefetch! * threads).toBeGreaterThanOrEqual(vectors);
        expect((spec.prefetch! - 1) * threads).toBeLessThan(vectors);
        expect(grid[0] * tile.sgN * tile.tn * u.n).toBeGreaterThanOrEqual(300);
        expect(grid[1] * tile.sgM * tile.tm * u.m).toBeGreaterThanOrEqual(1000);
      }
    }
  });

  it('runs products of more than 16 rows on gemm-mma where a matrix unit is given, gemv below', () => {
    const limits = { ...LIMITS, matrix: unit, subgroupSize: 32 };
    const dense = (tokens: number) => buildPlan({ shape: { m: 4096, n: 4096, tokens }, structure: { kind: 'dense' }, dtype: 'f16' }, 'tiled', limits);
    expect(dense(1024).steps[0].kernel).toBe('gemm-mma');
    expect(dense(1024).info.path).toBe('matrix');
    expect(dense(16).steps[0].kernel).toBe('gemv');
    expect(buildPlan({ shape: { m: 64, n: 64, tokens: 64 }, structure: { kind: 'dense' }, dtype: 'f16' }, 'tiled', LIMITS).info.path).toBe('fma');
  });
});
