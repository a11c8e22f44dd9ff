/**
 * The adapter's matrix units (WebGPU's experimental subgroup matrices), and which of their
 * fragment shapes a plan's products run on for a path and dtype.
 */
import type { DType } from '../structures/types';
import type { MatrixUnit } from './shaders';
import type { PlanLimits } from './plans';
import type { KernelPath } from './types';

/** Dawn's feature for subgroup matrices; browsers expose it only behind their unsafe-WebGPU switch. */
export const SUBGROUP_MATRIX_FEATURE = 'chromium-experimental-subgroup-matrix';

/** One subgroup-matrix config: M × N result fragments, K deep, from `input` operands into `result` accumulators. */
export interface MatrixConfig {
  m: number;
  n: number;
  k: number;
  input: string;
  result: string;
}

interface InfoWithMatrices {
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
  subgroupMatrixConfigs?: readonly { M: number; N: number; K: number; componentType: string; resultComponentType: string }[];
}

/** The configs a device can use: none unless it was created with the feature. */
export function deviceMatrixConfigs(info: GPUAdapterInfo, device: GPUDevice): MatrixConfig[] {
  if (!device.features.has(SUBGROUP_MATRIX_FEATURE)) return [];
  return ((info as InfoWithMatrices).subgroupMatrixConfigs ?? []).map((c) => ({ m: c.M, n: c.N, k: c.K, input: c.componentType, result: c.resultComponentType }));
}

/** The subgroup size gemm-mma.wgsl's tiles are laid out for, where the adapter has one fixed size; else undefined. */
export function fixedSubgroupSize(info: GPUAdapterInfo): number | undefined {
  const { subgroupMinSize: min, subgroupMaxSize: max } = info as InfoWithMatrices;
  return min !== undefined && min === max ? min : undefined;
}

export function configLabel(c: MatrixConfig): string {
  return `${c.m}x${c.n}x${c.k} ${c.input}>${c.result}`;
}

/** Fragment shapes the emulated path offers, each as gemm-mma.wgsl would take it from an adapter. */
export const EMULATED_SHAPES: readonly [number, number, number][] = [[16, 16, 16], [16, 8, 16], [8, 8, 8]];

/**
 * The matrix unit for a plan: undefined for the FMA path; for 'matrix', the adapter's largest
 * config that takes `dtype` operands (f32 accumulators first), or the one of shape `shape`
 * where asked; for 'emulated', that shape (16 × 16 × 16 where none is asked) with accumulators
 * in the dtype's f32. Throws where the path cannot run, saying why.
 */
export function matrixUnitFor(path: KernelPath, dtype: DType, configs: MatrixConfig[], subgroupSize: number | undefined,
  shape?: [number, number, number]): MatrixUnit | undefined {
  if (path === 'fma') return undefined;
  const sameShape = (c: { m: number; n: number; k: number }) => !shape || (c.m === shape[0] && c.n === shape[1] && c.k === shape[2]);
  if (path === 'emulated') {
    const [m, n, k] = shape ?? EMULATED_SHAPES[0];
    if (![m, n, k].every((d) => d % 8 === 0 && d > 0) || (m * n) % 32 !== 0) throw new Error(`an emulated fragment of ${m}x${n}x${k}: each side must be a multiple of 8`);
    return { m, n, k, result: 'f32', emulated: true };
  }
  const usable = configs
    .filter((c) => c.input === dtype && (c.result === 'f32' || c.result === dtype) && sameShape(c))
    .sort((a, b) => Number(b.result === 'f32') - Number(a.result === 'f32') || b.m * b.n * b.k - a.m * a.n * a.k);
  if (!usable.length) {
    const have = configs.length ? `its configs are ${configs.map(configLabel).join(', ')}` : 'it reports no subgroup-matrix configs';
    throw new Error(`this adapter has no matrix unit for ${dtype} operands${shape ? ` of ${shape.join('x')}` : ''}: ${have}`);
  }
  if (subgroupSize === undefined) {
    throw new Error('the matrix path needs an adapter whose subgroups have one fixed size');
  }
  const best = usable[0];
  return { m: best.m, n: best.n, k: best.k, result: best.result as 'f32' | 'f16', emulated: false };
}

/**
 * What a plan for `dtype` gets on an adapter: its limits, and the matrix units of `path` (by
 * default the adapter's, where it has them for the dtype). The engine plans with it, and the
 * page prices the same plan for the adapter it reports.
 */
export function planTarget(adapter: { limits: Record<string, number>; matrixConfigs?: MatrixConfig[]; subgroupSize?: number },
  dtype: DType, opts: { path?: KernelPath; fragment?: [number, number, number] } = {}): PlanLimits {
  const configs = adapter.matrixConfigs ?? [];
  const path = opts.path ?? defaultPath(dtype, configs, adapter.subgroupSize);
  const { maxComputeWorkgroupStorageSize, maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  return {
    maxComputeWorkgroupStorageSize, maxStorageBufferBindingSize, maxBufferSize,
    matrix: matrixUnitFor(path, dtype, configs, adapter.subgroupSize, opts.fragment),
    subgroupSize: adapter.subgroupSize,
  };
}

/** The path a plan takes where none is asked: matrix units where the adapter has them for the dtype, else FMA. */
export function defaultPath(dtype: DType, configs: MatrixConfig[], subgroupSize: number | undefined): KernelPath {
  try {
    return matrixUnitFor('matrix', dtype, configs, subgroupSize) ? 'matrix' : 'fma';
  } catch {
    return 'fma';
  }
}
