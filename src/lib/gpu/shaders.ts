/**
 * WGSL sources and their specialisation. A kernel's source is its own file plus the modules
 * it needs, after a prelude that fixes what WGSL cannot take as an `override`: the element
 * type (`elem`: f32 or f16), whether a binding is read as vectors (its type), and the sizes of
 * function-scope arrays (register blocks TM, TN, staging registers PREFETCH, gemv's UNROLL,
 * BLOCKS where a kernel keeps one register per BLAST block, and GROUPS, the GEMM tiles side by
 * side in a workgroup, which its shape takes). Everything else that tunes a kernel (workgroup
 * shape, tile depth, the fused Monarch and BLAST kernels' tokens per workgroup) is a
 * pipeline-overridable constant.
 */
import type { DType } from '../structures/types';
import gemmCore from '../../../shaders/gemm-core.wgsl';
import gemmLoad from '../../../shaders/gemm-load.wgsl';
import gemmLoadWide from '../../../shaders/gemm-load-wide.wgsl';
import gemmIo from '../../../shaders/gemm-io.wgsl';
import gemm from '../../../shaders/gemm.wgsl';
import gemmMma from '../../../shaders/gemm-mma.wgsl';
import mmaNative from '../../../shaders/mma-native.wgsl';
import mmaEmulated from '../../../shaders/mma-emulated.wgsl';
import gemv from '../../../shaders/gemv.wgsl';
import splitReduce from '../../../shaders/split-reduce.wgsl';
import permute from '../../../shaders/permute.wgsl';
import blastCouple from '../../../shaders/blast-couple.wgsl';
import blastPartial from '../../../shaders/blast-partial.wgsl';
import fusedLowrank from '../../../shaders/fused-lowrank.wgsl';
import fusedMonarch from '../../../shaders/fused-monarch.wgsl';
import fusedBlast from '../../../shaders/fused-blast.wgsl';
import bandwidth from '../../../shaders/bandwidth.wgsl';
import peakFlops from '../../../shaders/peak-flops.wgsl';

export type KernelName =
  | 'gemm'
  | 'gemm-mma'
  | 'gemv'
  | 'split-reduce'
  | 'permute'
  | 'blast-couple'
  | 'blast-partial'
  | 'fused-lowrank'
  | 'fused-monarch'
  | 'fused-blast'
  | 'bandwidth'
  | 'peak-flops';

const SOURCES: Record<KernelName, string[]> = {
  gemm: [gemmIo, gemmLoad, gemmCore, gemm],
  'gemm-mma': [gemmIo, mmaNative, gemmMma],
  gemv: [gemmIo, gemv],
  'split-reduce': [splitReduce],
  permute: [permute],
  'blast-couple': [blastCouple],
  'blast-partial': [gemmLoad, gemmCore, blastPartial],
  'fused-lowrank': [fusedLowrank],
  'fused-monarch': [fusedMonarch],
  'fused-blast': [fusedBlast],
  bandwidth: [bandwidth],
  'peak-flops': [peakFlops],
};

/** The WGSL modules a kernel is assembled from, before specialisation. */
export function kernelModules(kernel: KernelName): readonly string[] {
  return SOURCES[kernel];
}

/** Compile-time constants of a specialisation (register blocks; f32 partial outputs). */
export interface Specialisation {
  dtype: DType;
  /** register block, rows × columns per thread (GEMM-shaped kernels) */
  tm?: number;
  tn?: number;
  /** write f32 partial sums instead of `elem` (split-K) */
  f32Out?: boolean;
  /** BLAST blocks as a constant, for kernels that keep per-block registers */
  blocks?: number;
  /** GEMM tiles side by side in one workgroup, one per layer z of its threads (gemm-core.wgsl; blast-partial's grouped tile) */
  groups?: number;
  /** staging vectors per thread (PREFETCH): per K tile in gemm-core.wgsl's load module (gemm-plan.ts, tileLoadsPerThread), of A per stage in gemv.wgsl */
  prefetch?: number;
  /** gemv.wgsl: vectors of B each lane loads per stage (UNROLL) */
  unroll?: number;
  /**
   * Vector width VW (1 or 4) of the kernel's `vecw` values: workgroup-memory vectors in the GEMM
   * tile loop; in gemv also the width in which A and B are read from memory.
   */
  vw?: 1 | 4;
  /**
   * Bind gemm-io's A and B as vec4<elem> (their rows and K must be multiples of 4 elements); gemm
   * then takes its tile loads from gemm-load-wide.wgsl (16-byte loads) instead of gemm-load.wgsl.
   */
  wideInputs?: boolean;
  /** gemm-mma.wgsl: the matrix-unit fragment shape and the workgroup's tiling in fragments */
  mma?: MmaSpec;
  /**
   * fused-lowrank.wgsl: read the rows of X and Vt (n long) and of U (r long) as vec4<elem>, each
   * only where its length is a multiple of 4 (else element by element)
   */
  rowVectors?: { n: boolean; r: boolean };
}

/**
 * A fragment shape of the adapter's matrix units (one of its subgroup-matrix configs: M × N
 * result fragments, K deep, `result` the accumulators' type), or the same shape emulated in
 * plain WGSL (mma-emulated.wgsl) where the adapter has none.
 */
export interface MatrixUnit {
  m: number;
  n: number;
  k: number;
  result: 'f32' | 'f16';
  emulated: boolean;
}

/** gemm-mma.wgsl's tile: SG_M × SG_N subgroups of `subgroupSize` threads, each with TM × TN fragments (Specialisation.tm/tn), K tiles of bk. */
export interface MmaSpec {
  unit: MatrixUnit;
  sgM: number;
  sgN: number;
  bk: number;
  subgroupSize: number;
  /** K tiles staged at once (MmaTile.stages), 1 where not given */
  stages?: 1 | 2;
}

/**
 * Width-generic helpers: WGSL cannot take a vector width as a parameter, so `vecw` and the
 * functions on it are generated for VW = 4 (vec4<f32>) or VW = 1 (plain f32).
 */
function vectorPrelude(vw: 1 | 4): string[] {
  if (vw === 4) {
    return [
      'const VW: u32 = 4u;',
      'alias vecw = vec4<f32>;',
      'fn lane(v: vecw, i: u32) -> f32 { return v[i]; }',
      'fn with_lane(v: vecw, i: u32, x: f32) -> vecw { var w = v; w[i] = x; return w; }',
      'fn mac(x: vecw, w: vecw, acc: f32) -> f32 { return fma(x.w, w.w, fma(x.z, w.z, fma(x.y, w.y, fma(x.x, w.x, acc)))); }',
    ];
  }
  return [
    'const VW: u32 = 1u;',
    'alias vecw = f32;',
    'fn lane(v: vecw, i: u32) -> f32 { return v; }',
    'fn with_lane(v: vecw, i: u32, x: f32) -> vecw { return x; }',
    'fn mac(x: vecw, w: vecw, acc: f32) -> f32 { return fma(x, w, acc); }',
  ];
}

/**
 * gemm-mma.wgsl's constants, and read4: four consecutive k of A or B from `at` (an element
 * index), as one vector where gemm-io binds them as vec4 (K-contiguous), else element by element,
 * `ks` apart, the `left` elements before the end of the K range only.
 */
function mmaPrelude(t: MmaSpec & { tm: number; tn: number }, wide: boolean): string[] {
  const read4 = wide
    ? ['fn read4(on_a: bool, at: u32, left: u32, ks: u32) -> vec4<elem> {', '  if (on_a) { return A[at / 4u]; }', '  return B[at / 4u];', '}']
    : [
        'fn read4(on_a: bool, at: u32, left: u32, ks: u32) -> vec4<elem> {',
        '  var v = vec4<elem>();',
        '  for (var l = 0u; l < min(4u, left); l++) { if (on_a) { v[l] = A[at + l * ks]; } else { v[l] = B[at + l * ks]; } }',
        '  return v;',
        '}',
      ];
  return [
    ...accumulatorBlock(t.tm, t.tn),
    `alias acc_elem = ${t.unit.result};`,
    `const MMA_M: u32 = ${t.unit.m}u;`,
    `const MMA_N: u32 = ${t.unit.n}u;`,
    `const MMA_K: u32 = ${t.unit.k}u;`,
    `const SG_M: u32 = ${t.sgM}u;`,
    `const SG_N: u32 = ${t.sgN}u;`,
    `const SG_SIZE: u32 = ${t.subgroupSize}u;`,
    `const BK: u32 = ${t.bk}u;`,
    `const STAGES: u32 = ${t.stages ?? 1}u;`,
    ...read4,
  ];
}

/**
 * fused-lowrank.wgsl's row readers: vector v (elements 4v … 4v + 3) of row `row` of X or Vt (rows
 * of P.n) or U (rows of P.rank) as vec4<f32>, one vector load where the binding is vec4 (N_ELEM,
 * R_ELEM), else element by element, zero past the row's end.
 */
function rowsPrelude(rows: { n: boolean; r: boolean }): string[] {
  const reader = (name: string, binding: string, length: string, wide: boolean) =>
    wide
      ? [`fn ${name}(row: u32, v: u32) -> vec4<f32> { return vec4<f32>(${binding}[row * (${length} / 4u) + v]); }`]
      : [
          `fn ${name}(row: u32, v: u32) -> vec4<f32> {`,
          '  var x = vec4<f32>();',
          `  let at = row * ${length} + 4u * v;`,
          `  for (var l = 0u; l < min(4u, ${length} - 4u * v); l++) { x[l] = f32(${binding}[at + l]); }`,
          '  return x;',
          '}',
        ];
  return [
    `alias N_ELEM = ${rows.n ? 'vec4<elem>' : 'elem'};`,
    `alias R_ELEM = ${rows.r ? 'vec4<elem>' : 'elem'};`,
    ...reader('load_x', 'X', 'P.n', rows.n),
    ...reader('load_vt', 'Vt', 'P.n', rows.n),
    ...reader('load_u', 'U', 'P.rank', rows.r),
  ];
}

/**
 * gemm-mma.wgsl's result fragments as named fields, and the code that touches them written out
 * for each: a loop over an array of subgroup matrices indexes it at run time, which a driver may
 * keep in memory instead of registers, while a field is a register for certain. `acc_step` is
 * one MMA_K step of the K loop (the subgroup's TM left fragments, then each right fragment
 * against all of them, so that each is loaded once); `acc_fragment` picks fragment i · TN + j for
 * the stores (f is subgroup-uniform).
 */
function accumulatorBlock(tm: number, tn: number): string[] {
  const frags: [number, number][] = [];
  for (let i = 0; i < tm; i++) for (let j = 0; j < tn; j++) frags.push([i, j]);
  const field = ([i, j]: [number, number]) => `f${i}_${j}`;
  return [
    `struct Acc { ${frags.map((f) => `${field(f)}: Result,`).join(' ')} }`,
    'fn acc_step(acc: ptr<function, Acc>, left0: u32, right0: u32, kk: u32) {',
    ...Array.from({ length: tm }, (_, i) => `  let l${i} = load_left((left0 + ${i}u * MMA_M) * ROW + kk, ROW);`),
    ...Array.from({ length: tn }, (_, j) => [
      `  let r${j} = load_right((right0 + ${j}u * MMA_N) * ROW + kk, ROW);`,
      ...Array.from({ length: tm }, (_, i) => `  (*acc).${field([i, j])} = mma(l${i}, r${j}, (*acc).${field([i, j])});`),
    ]).flat(),
    '}',
    'fn acc_fragment(acc: ptr<function, Acc>, f: u32) -> Result {',
    '  switch f {',
    ...frags.slice(0, -1).map((fr, f) => `    case ${f}u: { return (*acc).${field(fr)}; }`),
    `    default: { return (*acc).${field(frags[frags.length - 1])}; }`,
    '  }',
    '}',
  ];
}

function kernelsIncluding(module: string): KernelName[] {
  return (Object.keys(SOURCES) as KernelName[]).filter((k) => SOURCES[k].includes(module));
}

/** Prelude constants that have no default: the kernels that size arrays by them, and what they hold. */
const REQUIRED_CONSTANTS: { key: 'prefetch' | 'unroll'; what: string; kernels: KernelName[] }[] = [
  { key: 'prefetch', what: 'staging size', kernels: [...kernelsIncluding(gemmCore), 'gemv', 'gemm-mma'] },
  { key: 'unroll', what: 'stage depth', kernels: ['gemv'] },
];

/** Kernels that bind A and B as IN_ELEM, so that a plan can read them as vec4 (`wideInputs`). */
const READS_IN_ELEM: KernelName[] = [...kernelsIncluding(gemmIo), 'blast-partial'];

export function specialise(kernel: KernelName, s: Specialisation): string {
  for (const { key, what, kernels } of REQUIRED_CONSTANTS) {
    if (kernels.includes(kernel) && s[key] === undefined) throw new Error(`${kernel}'s ${what} (${key}) must come from its plan`);
  }
  const native = s.mma && !s.mma.unit.emulated;
  const prelude = [
    s.dtype === 'f16' ? 'enable f16;' : '',
    native ? 'enable chromium_experimental_subgroup_matrix;' : '',
    // mma-native.wgsl's builtins take subgroup-uniform arguments that the analysis cannot prove
    // (a subgroup's index is local_invocation_index / SG_SIZE).
    native ? 'diagnostic(off, chromium.subgroup_matrix_uniformity);' : '',
    `alias elem = ${s.dtype};`,
    `alias OUT_ELEM = ${s.f32Out ? 'f32' : s.dtype};`,
    `const TM: u32 = ${s.tm ?? 1}u;`,
    `const TN: u32 = ${s.tn ?? 1}u;`,
    `const GROUPS: u32 = ${s.groups ?? 1}u;`,
    s.blocks === undefined ? '' : `const BLOCKS: u32 = ${s.blocks}u;`,
    s.prefetch === undefined ? '' : `const PREFETCH: u32 = ${s.prefetch}u;`,
    s.unroll === undefined ? '' : `const UNROLL: u32 = ${s.unroll}u;`,
    `alias IN_ELEM = ${s.wideInputs ? 'vec4<elem>' : 'elem'};`,
    ...vectorPrelude(s.vw ?? 1),
    ...(s.mma ? mmaPrelude({ ...s.mma, tm: s.tm ?? 1, tn: s.tn ?? 1 }, s.wideInputs ?? false) : []),
    ...(s.rowVectors ? rowsPrelude(s.rowVectors) : []),
  ];
  if (s.wideInputs && !READS_IN_ELEM.includes(kernel)) throw new Error(`${kernel} binds its own inputs as elem: they cannot be read as vec4`);
  if ((kernel === 'gemm-mma') !== (s.mma !== undefined)) throw new Error(`${kernel}: a matrix-unit tile (mma) is for gemm-mma alone`);
  if ((kernel === 'fused-lowrank') !== (s.rowVectors !== undefined)) throw new Error(`${kernel}: the widths of its rows (rowVectors) are for fused-lowrank alone, which needs them`);
  if (kernel === 'fused-lowrank' && s.vw !== 4) throw new Error('fused-lowrank keeps vectors of four in workgroup memory (vw = 4)');
  const sources = SOURCES[kernel].map((m) => (m === gemmLoad && s.wideInputs ? gemmLoadWide : m === mmaNative && !native ? mmaEmulated : m));
  return [...prelude, ...sources].join('\n');
}

/**
 * The cache key of a specialised module: the kernel and every constant given, read from the
 * specialisation itself so that a new field cannot be left out of it (a false flag is left
 * out: it gives the same source as an unset one).
 */
export function specialisationKey(kernel: KernelName, s: Specialisation): string {
  const given = Object.entries(s).filter(([, v]) => v !== undefined && v !== false);
  return [kernel, ...given.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)].join('|');
}
