/** What the engine asks of an adapter, and how it describes one. */
import type { DType } from '../structures/types';
import { deviceMatrixConfigs, fixedSubgroupSize, SUBGROUP_MATRIX_FEATURE } from './matrix';
import type { AdapterSummary } from './types';

/** Features the engine uses when the adapter has them (subgroup matrices: gemm-mma.wgsl). */
const WANTED_FEATURES = ['timestamp-query', 'shader-f16', 'subgroups', SUBGROUP_MATRIX_FEATURE] as GPUFeatureName[];

/** Limits raised to the adapter's maximum: large layers need big bindings and workgroup memory. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
] as const;

export function deviceRequirements(adapter: GPUAdapter): GPUDeviceDescriptor {
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  return {
    label: 'blr-playground',
    requiredFeatures: WANTED_FEATURES.filter((f) => adapter.features.has(f)),
    requiredLimits,
  };
}

export function deviceDtypes(device: GPUDevice): DType[] {
  return device.features.has('shader-f16') ? ['f32', 'f16'] : ['f32'];
}

export function summariseAdapter(adapter: GPUAdapter, device: GPUDevice): AdapterSummary {
  const info = adapter.info;
  const limits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) limits[key] = device.limits[key];
  limits.maxComputeWorkgroupsPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    features: [...adapter.features].sort(),
    limits,
    dtypes: deviceDtypes(device),
    matrixConfigs: deviceMatrixConfigs(info, device),
    ...(fixedSubgroupSize(info) !== undefined ? { subgroupSize: fixedSubgroupSize(info) } : {}),
  };
}

/** Why a dtype cannot run on this device, or null when it can. */
export function dtypeUnavailable(device: GPUDevice, dtype: DType): string | null {
  if (dtype === 'f16' && !device.features.has('shader-f16')) {
    return "f16 needs the adapter feature 'shader-f16', which this adapter does not expose";
  }
  return null;
}

/** Software adapters (SwiftShader, llvmpipe) run on the CPU: fewer timing runs, a quick roofline, no f16. */
export function isSoftwareAdapter(s: Pick<AdapterSummary, 'isFallbackAdapter' | 'vendor' | 'architecture' | 'description'>): boolean {
  return s.isFallbackAdapter || /swiftshader|llvmpipe|software/i.test(`${s.vendor} ${s.architecture} ${s.description}`);
}
