/** GPU buffers for a plan's tensors: upload in the plan's dtype, poison, read back. */
import type { DType } from '../structures/types';
import { fromHalfBits, HALF_NAN, toHalfBits } from './f16';
import type { TensorDecl } from './plan-types';

const F32_NAN_BITS = 0x7fc00000;

export function elementBytes(decl: TensorDecl, dtype: DType): number {
  return decl.f32 || dtype === 'f32' ? 4 : 2;
}

/** Multiples of 16 bytes (WebGPU asks for 4), so that any tensor can be bound as vec4s. */
export function bufferSize(decl: TensorDecl, dtype: DType): number {
  return Math.max(16, Math.ceil((decl.elements * elementBytes(decl, dtype)) / 16) * 16);
}

export function encodeValues(values: ArrayLike<number>, bytes: number): ArrayBuffer {
  if (bytes === 4) return Float32Array.from(values).buffer as ArrayBuffer;
  const out = new Uint16Array(Math.ceil(values.length / 2) * 2);
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]);
  return out.buffer as ArrayBuffer;
}

export function decodeValues(data: ArrayBuffer, elements: number, bytes: number): Float64Array {
  const out = new Float64Array(elements);
  if (bytes === 4) {
    const f = new Float32Array(data, 0, elements);
    for (let i = 0; i < elements; i++) out[i] = f[i];
  } else {
    const h = new Uint16Array(data, 0, elements);
    for (let i = 0; i < elements; i++) out[i] = fromHalfBits(h[i]);
  }
  return out;
}

/** A buffer full of NaN of the right width, so an element a kernel never wrote cannot pass. */
export function poisonData(size: number, bytes: number): ArrayBuffer {
  if (bytes === 4) return new Uint32Array(size / 4).fill(F32_NAN_BITS).buffer as ArrayBuffer;
  return new Uint16Array(size / 2).fill(HALF_NAN).buffer as ArrayBuffer;
}

export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, size: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, 0, staging, 0, size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return copy;
}
