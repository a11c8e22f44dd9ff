/**
 * The worker's side of GpuWorkerApi: owns the GPUDevice, acquires it on first use and again
 * after a loss, runs the kernel engine, and falls back to the CPU reference without WebGPU.
 * WebGPU comes in through `deps`, so tests drive it with fakes.
 */
import type { Engine } from '../lib/gpu/engine';
import { isSoftwareAdapter } from '../lib/gpu/device';
import type { Problem } from '../lib/structures/types';
import { timeCpuReference } from './cpu-reference';
import type { MeasuredCeilings } from '../lib/gpu/roofline';
import type { GpuInfo, GpuWorkerApi, PointRequest, PointTiming, SweepOutcome, SweepPoint, SweepProgress, SweepRequest } from './protocol';

export interface GpuServiceDeps {
  gpu: GPU | undefined;
  secureContext: boolean;
  deviceRequirements(adapter: GPUAdapter): GPUDeviceDescriptor;
  createEngine(device: GPUDevice, adapter: GPUAdapter): Promise<Engine>;
  measureRoofline(device: GPUDevice, opts?: { quick?: boolean }): Promise<MeasuredCeilings>;
}

type Unavailable = Extract<GpuInfo, { available: false }>;
interface Acquired {
  device: GPUDevice;
  engine: Engine;
}

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class GpuService implements GpuWorkerApi {
  #acquiring: Promise<Acquired | Unavailable> | null = null;
  /** GPU work runs one job at a time, so a timing never shares the device with another job. */
  #queue: Promise<unknown> = Promise.resolve();
  #cancelRequested = false;
  readonly #lostListeners: ((message: string) => void)[] = [];

  constructor(private readonly deps: GpuServiceDeps) {}

  async info(): Promise<GpuInfo> {
    const got = await this.#acquire();
    return 'engine' in got ? { available: true, summary: got.engine.summary() } : got;
  }

  roofline(opts: { quick?: boolean } = {}): Promise<MeasuredCeilings> {
    return this.#exclusive(async () => {
      const { device, engine } = await this.#requireGpu('measuring the roofline');
      const { bytesPerS, flopsPerS, timer } = await this.deps.measureRoofline(device, {
        quick: opts.quick ?? isSoftwareAdapter(engine.summary()),
      });
      return { bytesPerS, flopsPerS, timer };
    });
  }

  verify(req: PointRequest) {
    return this.#exclusive(async () => {
      const { engine } = await this.#requireGpu('checking a kernel');
      return engine.verify(req.problem, req.strategy, { seed: req.seed, ...(req.path ? { path: req.path } : {}) });
    });
  }

  run(req: PointRequest): Promise<PointTiming> {
    return this.#exclusive(async () => {
      const got = await this.#acquire();
      if (!('engine' in got)) return timeCpuReference(req.problem, req.seed);
      const software = isSoftwareAdapter(got.engine.summary());
      const t = await got.engine.time(req.problem, req.strategy, {
        seed: req.seed, ...(req.path ? { path: req.path } : {}), ...(req.steps ? { steps: true } : {}), ...(software ? { warmup: 1, reps: 5 } : {}),
      });
      const { medianMs, p10Ms, p90Ms, samples, timer, resolutionMs, runsPerSample, plan, steps } = t;
      return { backend: 'webgpu', medianMs, p10Ms, p90Ms, samples, timer, resolutionMs, runsPerSample, plan, ...(steps ? { steps } : {}) };
    });
  }

  async sweep(req: SweepRequest, onProgress: (p: SweepProgress) => void): Promise<SweepOutcome> {
    this.#cancelRequested = false;
    const points: SweepPoint[] = [];
    const total = req.tokens.length * req.configs.length;
    for (const tokens of req.tokens) {
      for (const config of req.configs) {
        // Yield so a cancel() sent meanwhile is handled even when points run synchronously on the CPU.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#cancelRequested) return { points, cancelled: true };
        const problem: Problem = { shape: { m: req.m, n: req.n, tokens }, structure: config.structure, dtype: req.dtype };
        const point: SweepPoint = { ...config, tokens };
        try {
          point.timing = await this.run({ problem, strategy: config.strategy, seed: req.seed, ...(req.path ? { path: req.path } : {}) });
        } catch (e) {
          point.error = errorMessage(e);
        }
        points.push(point);
        onProgress({ done: points.length, total, point });
      }
    }
    return { points, cancelled: false };
  }

  async cancel(): Promise<void> {
    this.#cancelRequested = true;
  }

  async onDeviceLost(listener: (message: string) => void): Promise<void> {
    this.#lostListeners.push(listener);
  }

  #exclusive<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(job);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #requireGpu(what: string): Promise<Acquired> {
    const got = await this.#acquire();
    if (!('engine' in got)) throw new Error(`${what} needs WebGPU: ${got.message}`);
    return got;
  }

  /** The current device, or a new one when there is none (first use, or after a loss). */
  #acquire(): Promise<Acquired | Unavailable> {
    this.#acquiring ??= this.#open().catch((e: unknown) => {
      this.#acquiring = null;
      throw e;
    });
    return this.#acquiring;
  }

  async #open(): Promise<Acquired | Unavailable> {
    const { gpu, secureContext } = this.deps;
    if (!gpu) {
      return secureContext
        ? { available: false, reason: 'no-webgpu', message: 'this browser does not expose navigator.gpu (WebGPU is missing or turned off)' }
        : { available: false, reason: 'insecure-context', message: 'WebGPU needs a secure context: open the page over https or from localhost' };
    }
    let adapter: GPUAdapter | null;
    try {
      adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    } catch (e) {
      adapter = null;
      console.warn('requestAdapter failed:', e);
    }
    if (!adapter) {
      return { available: false, reason: 'no-adapter', message: 'the browser offers WebGPU but returned no GPU adapter (the GPU may be blocklisted, or hardware acceleration turned off)' };
    }
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice(this.deps.deviceRequirements(adapter));
    } catch (e) {
      return { available: false, reason: 'device-failed', message: `the adapter refused a device: ${errorMessage(e)}` };
    }
    const acquired: Acquired = { device, engine: await this.deps.createEngine(device, adapter) };
    const current = this.#acquiring;
    void device.lost.then((info) => {
      if (this.#acquiring === current) this.#acquiring = null;
      if (info.reason !== 'destroyed') for (const listener of this.#lostListeners) listener(info.message || 'the GPU device was lost');
    });
    return acquired;
  }
}
