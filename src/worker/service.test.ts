import { describe, expect, it, vi } from 'vitest';
import type { Engine } from '../lib/gpu/engine';
import type { AdapterSummary, PlanInfo } from '../lib/gpu/types';
import type { Problem } from '../lib/structures/types';
import { assertValid } from '../lib/structures/validate';
import type { SweepProgress, SweepRequest } from './protocol';
import { GpuService, type GpuServiceDeps } from './service';

const summary: AdapterSummary = {
  vendor: 'test',
  architecture: 'fake',
  device: '',
  description: 'fake adapter',
  isFallbackAdapter: false,
  features: [],
  limits: {},
  dtypes: ['f32'],
};

const problem: Problem = { shape: { m: 8, n: 8, tokens: 2 }, structure: { kind: 'monarch', blocks: 2, rank: 4 }, dtype: 'f32' };

/** The engine calls the service makes; the rest of Engine is not used by it. */
function fakeEngine(): Pick<Engine, 'summary' | 'plan' | 'verify' | 'time' | 'destroy'> {
  const plan = (p: Problem): PlanInfo => ({ problem: p, requested: 'partial', strategy: 'partial', dispatches: [] });
  return {
    summary: () => summary,
    plan: (p) => plan(p),
    verify: async (p) => ({ plan: plan(p), seed: 1, relErr: 1e-7, maxAbsErr: 1e-7, rowsChecked: p.shape.tokens, tolerance: 1e-5, ok: true }),
    time: async (p, _s, opts) => {
      assertValid(p);
      const steps = opts?.steps ? { steps: [{ name: 'stage1', medianMs: 0.5, runsPerSample: 32 }, { name: 'stage2', medianMs: 1.25, runsPerSample: 16 }] } : {};
      return { plan: plan(p), medianMs: p.shape.tokens, p10Ms: 1, p90Ms: 2, samples: 30, timer: 'timestamp-query', resolutionMs: 0.1, runsPerSample: 16, ...steps };
    },
    destroy: () => {},
  };
}

/** A GPU whose devices can be lost on demand; counts the devices it hands out. */
function fakeGpu() {
  const losses: ((info: GPUDeviceLostInfo) => void)[] = [];
  const requestDevice = vi.fn(async () => {
    const lost = new Promise<GPUDeviceLostInfo>((resolve) => losses.push(resolve));
    return { lost } as unknown as GPUDevice;
  });
  const adapter = { requestDevice } as unknown as GPUAdapter;
  const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
  const loseDevice = (message: string) => losses[losses.length - 1]({ reason: 'unknown', message } as GPUDeviceLostInfo);
  return { gpu, requestDevice, loseDevice };
}

function service(gpu: GPU | undefined, secureContext = true): GpuService {
  const deps: GpuServiceDeps = {
    gpu,
    secureContext,
    deviceRequirements: () => ({}),
    createEngine: async () => fakeEngine() as Engine,
    measureRoofline: async () => ({ bytesPerS: 100e9, flopsPerS: { f32: 1000e9 }, timer: 'timestamp-query', copyBytes: 4096 }),
  };
  return new GpuService(deps);
}

describe('GpuService without WebGPU', () => {
  it('says why: no navigator.gpu, or not a secure context', async () => {
    expect(await service(undefined).info()).toMatchObject({ available: false, reason: 'no-webgpu' });
    expect(await service(undefined, false).info()).toMatchObject({ available: false, reason: 'insecure-context' });
  });

  it('reports a missing adapter', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    expect(await service(gpu).info()).toMatchObject({ available: false, reason: 'no-adapter' });
  });

  it('runs small problems on the CPU reference and refuses to verify or measure', async () => {
    const s = service(undefined);
    const t = await s.run({ problem, strategy: 'partial', seed: 3 });
    expect(t.backend).toBe('cpu-reference');
    expect(t.medianMs).toBeGreaterThanOrEqual(0);
    await expect(s.verify({ problem, strategy: 'partial', seed: 3 })).rejects.toThrow(/needs WebGPU/);
    await expect(s.roofline()).rejects.toThrow(/needs WebGPU/);
  });

  it('refuses problems too large for the CPU reference with the reason', async () => {
    const big: Problem = { ...problem, structure: { kind: 'dense' }, shape: { m: 4096, n: 4096, tokens: 1024 } };
    await expect(service(undefined).run({ problem: big, strategy: 'partial', seed: 1 })).rejects.toThrow(/too large for the CPU reference/);
  });
});

describe('GpuService with a device', () => {
  it('times on the GPU and reuses one device', async () => {
    const { gpu, requestDevice } = fakeGpu();
    const s = service(gpu);
    expect(await s.info()).toEqual({ available: true, summary });
    const t = await s.run({ problem, strategy: 'partial', seed: 1 });
    expect(t).toMatchObject({ backend: 'webgpu', medianMs: 2, timer: 'timestamp-query', resolutionMs: 0.1, runsPerSample: 16 });
    expect(t.steps).toBeUndefined();
    // each dispatch alone, where asked for
    const alone = await s.run({ problem, strategy: 'partial', seed: 1, steps: true });
    expect(alone.steps?.map((x) => [x.name, x.medianMs])).toEqual([['stage1', 0.5], ['stage2', 1.25]]);
    expect((await s.verify({ problem, strategy: 'partial', seed: 1 })).ok).toBe(true);
    expect(requestDevice).toHaveBeenCalledTimes(1);
  });

  it('reports a lost device and acquires a new one on the next request', async () => {
    const { gpu, requestDevice, loseDevice } = fakeGpu();
    const s = service(gpu);
    const lost: string[] = [];
    await s.onDeviceLost((m) => lost.push(m));
    await s.info();
    loseDevice('driver reset');
    await new Promise((r) => setTimeout(r, 0));
    expect(lost).toEqual(['driver reset']);
    expect((await s.run({ problem, strategy: 'partial', seed: 1 })).backend).toBe('webgpu');
    expect(requestDevice).toHaveBeenCalledTimes(2);
  });

  it('measures the roofline through the device', async () => {
    const { gpu } = fakeGpu();
    expect(await service(gpu).roofline()).toEqual({ bytesPerS: 100e9, flopsPerS: { f32: 1000e9 }, timer: 'timestamp-query' });
  });
});

describe('GpuService.sweep', () => {
  const req: SweepRequest = {
    m: 8,
    n: 8,
    dtype: 'f32',
    tokens: [1, 4, 16],
    configs: [
      { structure: { kind: 'dense' }, strategy: 'tiled' },
      { structure: { kind: 'monarch', blocks: 2, rank: 4 }, strategy: 'partial' },
      { structure: { kind: 'monarch', blocks: 3, rank: 4 }, strategy: 'partial' },
    ],
    seed: 1,
  };

  it('runs every tokens × config, reporting progress and keeping bad points as errors', async () => {
    const { gpu } = fakeGpu();
    const progress: SweepProgress[] = [];
    const out = await service(gpu).sweep(req, (p) => progress.push(p));
    expect(out.cancelled).toBe(false);
    expect(out.points).toHaveLength(9);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.every((p) => p.total === 9)).toBe(true);
    expect(out.points[1]).toMatchObject({ tokens: 1, strategy: 'partial', timing: { medianMs: 1 } });
    expect(out.points[2].error).toMatch(/blocks b=3 must divide/);
  });

  it('stops after the current point when cancelled', async () => {
    const { gpu } = fakeGpu();
    const s = service(gpu);
    const out = await s.sweep(req, (p) => {
      if (p.done === 2) void s.cancel();
    });
    expect(out).toMatchObject({ cancelled: true });
    expect(out.points).toHaveLength(2);
  });
});
