/**
 * The page's sources of latencies for the verdict, the paper's claims and its figures: this
 * GPU's own timings (from the store), every feed group, and our cost model at a roof.
 */
import type { KernelPath } from '../../lib/gpu/types';
import { PAPER_DEVICES, PAPER_PEAK } from '../../lib/paper/devices';
import { costModelSource, rowsSource, type PointQuery, type ResultSource, type Timed } from '../../lib/paper/sources';
import type { DType, LayerShape, StructureSpec } from '../../lib/structures/types';
import { isSoftwareAdapter } from '../../lib/gpu/device';
import type { MeasuredCeilings } from '../../lib/gpu/roofline';
import type { GpuStatus } from '../store.svelte';

/** What a software adapter's numbers are worth, said wherever they are shown. */
export const SOFTWARE_CAVEAT = 'software adapter: not representative';

/** This GPU's caveat: the software-adapter warning, or null for real hardware (or no GPU). */
export function gpuCaveat(gpu: GpuStatus): string | null {
  return gpu.state === 'ready' && isSoftwareAdapter(gpu.summary) ? SOFTWARE_CAVEAT : null;
}

export function gpuName(gpu: GpuStatus): string | null {
  if (gpu.state !== 'ready') return null;
  const s = gpu.summary;
  return [s.vendor, s.description || s.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
}

/**
 * This GPU's timings in `dtype` on `path` (store keys: JSON of [shape, structure, dtype,
 * strategy, path]); null without WebGPU.
 */
export function ownSource(timings: Record<string, number>, dtype: DType, gpu: GpuStatus, path: KernelPath = 'fma'): ResultSource | null {
  const name = gpuName(gpu);
  if (name === null) return null;
  const rows: (PointQuery & Timed)[] = [];
  for (const [key, ms] of Object.entries(timings)) {
    const [shape, structure, d, strategy, ran] = JSON.parse(key) as [LayerShape, StructureSpec, DType, string, KernelPath | undefined];
    if (d === dtype && (ran ?? 'fma') === path) rows.push({ shape, structure, strategy, ms, run: 'this page' });
  }
  const caveat = gpuCaveat(gpu);
  return rowsSource(
    {
      id: `this-gpu:${dtype}`,
      label: `This GPU (${name}) · WGSL ${dtype}${path === 'fma' ? '' : ` · ${path}`}`,
      device: `This GPU (${name})`,
      detail: `WGSL ${dtype}${path === 'fma' ? '' : ` on ${path === 'matrix' ? 'matrix units' : 'emulated matrix units'}`}`,
      where: caveat ? `on this page's software adapter (${caveat})` : 'on your GPU',
      kind: 'this-gpu',
      modelled: false,
      caveat,
      paperDevice: null,
      roofKnown: false,
      dtype,
    },
    rows,
  );
}

/**
 * Our cost model at this GPU's measured ceilings when it is real hardware, else at the A40's
 * datasheet ceilings (the paper's GPU): a software adapter's ceilings would model nothing real.
 */
export function modelSource(gpu: GpuStatus, ceilings: MeasuredCeilings | null): ResultSource {
  const meta = { paperDevice: null, dtype: 'f16' as const, caveat: null };
  if (ceilings && gpu.state === 'ready' && !gpuCaveat(gpu)) {
    return costModelSource(
      { ...meta, id: 'cost-model:this-gpu', label: "Our cost model at this GPU's measured ceilings", device: 'Our cost model', detail: "at this GPU's measured ceilings", where: "by our cost model at this GPU's measured ceilings" },
      ceilings,
      ceilings.flopsPerS.f16 ? 'f16' : 'f32',
    );
  }
  return costModelSource(
    { ...meta, id: 'cost-model:a40', label: "Our cost model at the A40's datasheet ceilings", device: 'Our cost model', detail: "at the A40's datasheet ceilings", where: "by our cost model at the A40's datasheet ceilings (696 GiB/s, 149.7 TFLOP/s bf16)" },
    PAPER_DEVICES.a40.ceilings,
    PAPER_PEAK,
  );
}
