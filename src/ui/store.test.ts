/**
 * The store through the project's Vite config, so its runes compile as the app's do (server
 * build: $state fields are plain values, $derived recomputes on read).
 */
import { resolve } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdapterSummary, PlanInfo } from '../lib/gpu/types';
import type { GpuInfo, GpuWorkerApi, PointRequest, PointTiming, SweepProgress, SweepRequest } from '../worker/protocol';
import type { Playground as PlaygroundClass } from './store.svelte';

let server: ViteDevServer;
let Playground: typeof PlaygroundClass;

beforeAll(async () => {
  const root = resolve(import.meta.dirname, '..', '..');
  server = await createServer({ root, configFile: resolve(root, 'vite.config.ts'), server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'silent' });
  ({ Playground } = await server.ssrLoadModule('/src/ui/store.svelte.ts'));
});

afterAll(() => server?.close());

const summary = (dtypes: AdapterSummary['dtypes']): AdapterSummary => ({
  vendor: 'test',
  architecture: 'fake',
  device: '',
  description: 'fake',
  isFallbackAdapter: false,
  features: [],
  limits: { maxComputeWorkgroupStorageSize: 32768, maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 },
  dtypes,
});

function fakeClient(info: GpuInfo, opts: { fallback?: boolean } = {}) {
  let lost: ((m: string) => void) | undefined;
  const plan = (req: PointRequest): PlanInfo => ({
    problem: req.problem,
    requested: req.strategy,
    strategy: opts.fallback ? 'partial' : req.strategy,
    dispatches: [],
    ...(opts.fallback ? { fallbackReason: 'does not fit' } : {}),
  });
  const client = {
    info: vi.fn(async () => info),
    roofline: vi.fn(async () => ({ bytesPerS: 100e9, flopsPerS: { f32: 1000e9 }, timer: 'timestamp-query' as const })),
    verify: vi.fn(async (req: PointRequest) => ({ plan: plan(req), seed: req.seed, relErr: 2e-7, maxAbsErr: 1e-7, rowsChecked: req.problem.shape.tokens, tolerance: 1e-5, ok: true })),
    run: vi.fn(async (req: PointRequest): Promise<PointTiming> => ({
      backend: info.available ? ('webgpu' as const) : ('cpu-reference' as const),
      medianMs: req.problem.shape.tokens / 10,
      p10Ms: 0,
      p90Ms: 1,
      samples: 5,
      timer: 'timestamp-query' as const,
      plan: plan(req),
    })),
    sweep: vi.fn(async (req: SweepRequest, onProgress: (p: SweepProgress) => void) => {
      const total = req.tokens.length * req.configs.length;
      let done = 0;
      for (const tokens of req.tokens)
        for (const c of req.configs) onProgress({ done: ++done, total, point: { ...c, tokens, timing: { backend: 'webgpu', medianMs: tokens, p10Ms: 0, p90Ms: 0, samples: 1, timer: 'timestamp-query' } } });
      return { points: [], cancelled: false };
    }),
    cancel: vi.fn(async () => {}),
    onDeviceLost: vi.fn(async (l: (m: string) => void) => void (lost = l)),
  } satisfies GpuWorkerApi;
  return { client, loseDevice: (m: string) => lost?.(m) };
}

const ready: GpuInfo = { available: true, summary: summary(['f32', 'f16']) };
const noGpu: GpuInfo = { available: false, reason: 'no-adapter', message: 'no adapter' };

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('Playground store', () => {
  it('starts on the paper default and derives the problem and traffic from it', () => {
    const store = new Playground(fakeClient(ready).client, null);
    expect(store.gpu.state).toBe('probing');
    expect(store.problem).toEqual({ shape: { m: 4096, n: 4096, tokens: 1024 }, structure: { kind: 'monarch', blocks: 16, rank: 1024 }, dtype: 'f32' });
    expect(store.traffic.map((t) => t.strategy)).toEqual(['unfused', 'partial', 'fused']);
    store.setStructure('blast');
    expect(store.traffic[0].cost.problem.structure.kind).toBe('blast');
    expect(store.denseTraffic.cost.problem.structure).toEqual({ kind: 'dense' });
  });

  it('measures the ceilings once per adapter and reads them from storage after', async () => {
    const storage = memoryStorage();
    const first = fakeClient(ready);
    const store = new Playground(first.client, storage);
    await store.start();
    expect(store.gpu.state).toBe('ready');
    expect(store.roofline).toMatchObject({ state: 'ready', ceilings: { bytesPerS: 100e9, flopsPerS: { f32: 1000e9 } } });
    const second = fakeClient(ready);
    const again = new Playground(second.client, storage);
    await again.start();
    expect(second.client.roofline).not.toHaveBeenCalled();
    expect(again.roofline.ceilings?.flopsPerS.f32).toBe(1000e9);
    await again.measureRoofline();
    expect(second.client.roofline).toHaveBeenCalledOnce();
  });

  it('greys out f16 on an adapter without shader-f16 and drops it from the experiment', async () => {
    const store = new Playground(fakeClient({ available: true, summary: summary(['f32']) }).client, null);
    store.setDtype('f16');
    expect(store.experiment.dtype).toBe('f16');
    await store.start();
    expect(store.experiment.dtype).toBe('f32');
    expect(store.f16Unavailable).toMatch(/shader-f16/);
    store.setDtype('f16');
    expect(store.experiment.dtype).toBe('f32');
  });

  it('without WebGPU: says why, never measures, runs points on the CPU reference unchecked', async () => {
    const { client } = fakeClient(noGpu);
    const store = new Playground(client, memoryStorage());
    await store.start();
    expect(store.gpu).toEqual({ state: 'unavailable', reason: 'no-adapter', message: 'no adapter' });
    expect(client.roofline).not.toHaveBeenCalled();
    expect(store.f16Unavailable).toBeNull();
    store.setShape(160, 96);
    store.setTokens(7);
    await store.runPoint();
    expect(client.verify).not.toHaveBeenCalled();
    expect(store.point).toMatchObject({ state: 'done', timing: { backend: 'cpu-reference' } });
    expect(store.point.state === 'done' && store.point.check).toBeUndefined();
    expect(store.timingOf(store.problem, store.experiment.strategy)).toBeUndefined();
  });

  it('runs one point: checks at a few tokens, times at the chosen tokens and dense beside it', async () => {
    const { client } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    await store.runPoint();
    expect(client.verify.mock.calls[0][0].problem.shape.tokens).toBe(16);
    expect(client.run.mock.calls.map(([req]) => [req.problem.structure.kind, req.problem.shape.tokens])).toEqual([
      ['monarch', 1024],
      ['dense', 1024],
    ]);
    expect(store.point).toMatchObject({ state: 'done', checkTokens: 16, check: { ok: true }, timing: { medianMs: 102.4 }, denseMs: 102.4 });
    expect(store.timingOf(store.problem, 'partial')).toBe(102.4);
    // Dense at this size is known now: the next point does not time it again.
    store.setStrategy('fused');
    await store.runPoint();
    expect(client.run).toHaveBeenCalledTimes(3);
    expect(client.run.mock.calls.every(([req]) => req.steps === undefined)).toBe(true);
    // each dispatch alone is asked for the chosen layer only, never for dense beside it
    store.setStrategy('unfused');
    await store.runPoint({ steps: true });
    expect(client.run.mock.calls.slice(3).map(([req]) => [req.problem.structure.kind, req.steps])).toEqual([['monarch', true]]);
  });

  it('still shows the point when dense cannot run beside it', async () => {
    const { client } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    client.run.mockImplementation(async (req: PointRequest) => {
      if (req.problem.structure.kind === 'dense') throw new Error('too large');
      return { backend: 'webgpu', medianMs: 1, p10Ms: 1, p90Ms: 1, samples: 1, timer: 'timestamp-query' };
    });
    await store.runPoint();
    expect(store.point).toMatchObject({ state: 'done', timing: { medianMs: 1 } });
    expect(store.point.state === 'done' && store.point.denseMs).toBeUndefined();
  });

  it('files a fallback run under the strategy that actually ran', async () => {
    const store = new Playground(fakeClient(ready, { fallback: true }).client, null);
    await store.start();
    store.setStrategy('fused');
    await store.runPoint();
    expect(store.timingOf(store.problem, 'fused')).toBeUndefined();
    expect(store.timingOf(store.problem, 'partial')).toBe(102.4);
    expect(store.rooflineItems.find((i) => i.id === 'fused')?.fallback).toEqual({ ran: 'partial', reason: 'does not fit' });
  });

  it('reports a failed run with its message', async () => {
    const { client } = fakeClient(ready);
    client.run.mockRejectedValueOnce(new Error('tensor X needs 5 GiB'));
    const store = new Playground(client, null);
    await store.start();
    await store.runPoint();
    expect(store.point).toMatchObject({ state: 'error', message: 'tensor X needs 5 GiB' });
    expect(store.busy).toBe(false);
  });

  it('sweeps dense and every strategy over the sweep tokens, collecting points as they come', async () => {
    const { client } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    store.setSweep([1, 16]);
    await store.runSweep();
    const req = client.sweep.mock.calls[0][0];
    expect(req.tokens).toEqual([1, 16]);
    expect(req.configs.map((c) => c.strategy)).toEqual(['tiled', 'unfused', 'partial', 'fused']);
    expect(store.sweep).toMatchObject({ state: 'done', done: 8, total: 8 });
    expect(store.sweep.points).toHaveLength(8);
    expect(store.timingOf({ ...store.problem, shape: { ...store.problem.shape, tokens: 16 } }, 'fused')).toBe(16);
  });

  it('times every strategy at the current tokens for the roofline', async () => {
    const { client } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    expect(store.roof).toMatchObject({ ceilings: { bytesPerS: 1e11, flopsPerS: { f32: 1e12 } }, dtype: 'f32' });
    expect(store.rooflineItems.map((i) => [i.id, i.ms])).toEqual([
      ['dense', undefined],
      ['unfused', undefined],
      ['partial', undefined],
      ['fused', undefined],
    ]);
    await store.timeAllStrategies();
    expect(client.sweep.mock.calls[0][0].tokens).toEqual([1024]);
    expect(store.rooflineItems.map((i) => i.ms)).toEqual([1024, 1024, 1024, 1024]);
  });

  it('shows and hides views', () => {
    const store = new Playground(fakeClient(ready).client, null);
    store.setView('roofline', false);
    expect(store.experiment.views).toEqual(['structure', 'timing', 'compare']);
    store.setView('paper', true);
    expect(store.experiment.views).toEqual(['structure', 'timing', 'compare', 'paper']);
  });

  it('shows a lost device until the next request succeeds', async () => {
    const { client, loseDevice } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    loseDevice('GPU reset');
    expect(store.deviceLost).toBe('GPU reset');
    await store.runPoint();
    expect(store.deviceLost).toBeNull();
  });

  it('replaces the whole experiment with a valid one', () => {
    const store = new Playground(fakeClient(ready).client, null);
    store.replaceExperiment({ ...store.experiment, preset: null, layer: null, m: 160, n: 96, blocks: 5, rank: 31 });
    expect(store.experiment).toMatchObject({ m: 160, n: 96, blocks: 4 });
    expect(store.experiment.rank % 4).toBe(0);
  });
  it("measures a batch of the paper's points: one sweep per layer shape and token count, none already timed, in the dtype asked", async () => {
    const { client } = fakeClient(ready);
    const store = new Playground(client, null);
    await store.start();
    const monarch = { kind: 'monarch' as const, blocks: 4, rank: 32 };
    const a = { m: 160, n: 96, tokens: 7 };
    const b = { m: 160, n: 96, tokens: 1 };
    await store.measurePoints(
      [
        { shape: a, structure: { kind: 'dense' }, strategy: 'tiled' },
        { shape: a, structure: monarch, strategy: 'unfused' },
        { shape: b, structure: monarch, strategy: 'partial' },
      ],
      'f16',
      'claim-x',
    );
    expect(client.sweep.mock.calls.map(([req]) => [req.tokens, req.dtype, req.configs.length])).toEqual([
      [[7], 'f16', 2],
      [[1], 'f16', 1],
    ]);
    expect(store.pointsRun).toMatchObject({ state: 'done', done: 3, total: 3, label: 'claim-x' });
    expect(store.timingOf({ shape: a, structure: monarch, dtype: 'f16' }, 'unfused')).toBe(7);
    // Timed already: nothing runs again.
    await store.measurePoints([{ shape: a, structure: monarch, strategy: 'unfused' }], 'f16', 'claim-x');
    expect(client.sweep).toHaveBeenCalledTimes(2);
    expect(store.pointsRun).toMatchObject({ state: 'done', total: 0 });
  });

  it('measures nothing without WebGPU', async () => {
    const { client } = fakeClient(noGpu);
    const store = new Playground(client, null);
    await store.start();
    await store.measurePoints([{ shape: { m: 8, n: 8, tokens: 1 }, structure: { kind: 'dense' }, strategy: 'tiled' }], 'f32', 'x');
    expect(client.sweep).not.toHaveBeenCalled();
    expect(store.pointsRun.state).toBe('idle');
  });
});
