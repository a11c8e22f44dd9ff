/**
 * Every kernel's interface, declared once: its storage bindings in @binding order (each read,
 * or written: read_write) and the u32 fields of its uniform `Params`, in struct order; the
 * uniform takes the binding after the storage ones. Plans name bindings and parameters; a
 * PlanInstance packs them in this order, and kernel-io.test.ts checks each WGSL source against
 * it, so a field added to one side alone fails a test rather than shifting every value after it.
 */
import type { KernelName } from './shaders';

export type Access = 'read' | 'read_write';

export interface KernelIO {
  bindings: readonly (readonly [name: string, access: Access])[];
  params: readonly string[];
}

/** gemm-io.wgsl: the strided, batched C = A·Bᵀ of gemm.wgsl, gemm-mma.wgsl and gemv.wgsl. */
const GEMM_IO: KernelIO = {
  bindings: [['A', 'read'], ['B', 'read'], ['C', 'read_write']],
  params: [
    'M', 'N', 'K', 'batchInner', 'kPerSplit', 'splits',
    'a_off', 'a_ld', 'a_ks', 'a_outer', 'a_inner',
    'b_off', 'b_ld', 'b_outer', 'b_inner',
    'c_off', 'c_ld', 'c_col', 'c_outer', 'c_inner', 'c_split', 'c_group', 'c_group_stride',
  ],
};

export const KERNEL_IO: Record<KernelName, KernelIO> = {
  gemm: GEMM_IO,
  'gemm-mma': GEMM_IO,
  gemv: GEMM_IO,
  'split-reduce': {
    bindings: [['partial', 'read'], ['C', 'read_write']],
    params: ['M', 'N', 'batches', 'batchInner', 'splits', 'c_off', 'c_ld', 'c_col', 'c_outer', 'c_inner', 'c_group', 'c_group_stride'],
  },
  permute: { bindings: [['src', 'read'], ['dst', 'read_write']], params: ['d1', 'd2', 'd3', 'total', 's0', 's1', 's2', 's3'] },
  'blast-couple': { bindings: [['Yb', 'read'], ['S', 'read'], ['Z', 'read_write']], params: ['tokens', 'rank'] },
  'blast-partial': { bindings: [['A', 'read'], ['B', 'read'], ['S', 'read'], ['Z', 'read_write']], params: ['tokens', 'n', 'rank'] },
  'fused-lowrank': { bindings: [['X', 'read'], ['Vt', 'read'], ['U', 'read'], ['Y', 'read_write']], params: ['tokens', 'n', 'm', 'rank'] },
  'fused-monarch': { bindings: [['X', 'read'], ['W1', 'read'], ['W2', 'read'], ['Y', 'read_write']], params: ['tokens', 'n', 'm', 'rank'] },
  'fused-blast': { bindings: [['X', 'read'], ['Vt', 'read'], ['S', 'read'], ['U', 'read'], ['Y', 'read_write']], params: ['tokens', 'n', 'm', 'rank'] },
  bandwidth: { bindings: [['src', 'read'], ['dst', 'read_write']], params: ['vec4s'] },
  'peak-flops': { bindings: [['sink', 'read_write']], params: ['threads'] },
};

/** A step's parameters in its kernel's struct order; throws where one is missing or unknown. */
export function packParams(kernel: KernelName, params: Record<string, number>): Uint32Array<ArrayBuffer> {
  const io = KERNEL_IO[kernel];
  const unknown = Object.keys(params).filter((p) => !io.params.includes(p));
  const missing = io.params.filter((p) => params[p] === undefined);
  if (unknown.length || missing.length) {
    throw new Error(`${kernel}'s parameters: ${[missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')}`);
  }
  return new Uint32Array(io.params.map((p) => params[p]));
}

/** A step's tensors in its kernel's binding order; throws where a binding is missing or unknown. */
export function orderBindings(kernel: KernelName, bindings: Record<string, string>): string[] {
  const io = KERNEL_IO[kernel];
  const names = io.bindings.map(([n]) => n);
  const unknown = Object.keys(bindings).filter((b) => !names.includes(b));
  const missing = names.filter((n) => bindings[n] === undefined);
  if (unknown.length || missing.length) {
    throw new Error(`${kernel}'s bindings: ${[missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean).join('; ')}`);
  }
  return names.map((n) => bindings[n]);
}

/** The tensors a step reads and those it writes. */
export function stepTraffic(kernel: KernelName, bindings: Record<string, string>): { reads: string[]; writes: string[] } {
  const io = KERNEL_IO[kernel];
  return {
    reads: io.bindings.filter(([, a]) => a === 'read').map(([n]) => bindings[n]),
    writes: io.bindings.filter(([, a]) => a === 'read_write').map(([n]) => bindings[n]),
  };
}
