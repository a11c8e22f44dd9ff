/**
 * All state of the page: the experiment (what a link reproduces), what the GPU worker said, and
 * the measurements so far. Views read it; controls change the experiment only through the
 * pure transitions in ./data/experiment, so it is always valid.
 */
import { IDEAL_ADAPTER, strategyCost } from '../lib/cost/strategy-cost';
import { DEFAULT_EXPERIMENT, type ExperimentState, type PathChoice, type ViewId } from '../lib/share/state';
import { defaultPath, planTarget } from '../lib/gpu/matrix';
import type { PlanLimits } from '../lib/gpu/plans';
import type { AdapterSummary, KernelPath, VerifyResult } from '../lib/gpu/types';
import { DTYPES, type DType, type Problem, type Strategy, type StructureKind, type StructureSpec } from '../lib/structures/types';
import type { GpuUnavailableReason, GpuWorkerApi, PointTiming, SweepConfig, SweepPoint } from '../worker/protocol';
import { loadCeilings, saveCeilings, type CachedCeilings } from './data/ceilings-cache';
import * as change from './data/experiment';
import { measuredRoof, type Fallback, type MeasuredCost } from './data/roofline';
import { allStrategyTraffic, strategyTraffic } from './data/traffic';
import { configLabel, sweepConfigs } from './data/timing';

/** Tokens the correctness check runs at: the same kernel as the timed run, at a size the f64 reference checks quickly. */
export const CHECK_TOKENS = 16;

export type GpuStatus =
  | { state: 'probing' }
  | { state: 'ready'; summary: AdapterSummary }
  | { state: 'unavailable'; reason: GpuUnavailableReason; message: string };

export interface RooflineStatus {
  state: 'idle' | 'measuring' | 'ready' | 'error';
  ceilings: CachedCeilings | null;
  error?: string;
}

export type PointStatus =
  | { state: 'idle' }
  | { state: 'running'; label: string; phase: 'checking' | 'timing' | 'timing dense' }
  | { state: 'done'; label: string; timing: PointTiming; check?: VerifyResult; checkTokens?: number; denseMs?: number }
  | { state: 'error'; label: string; message: string };

export interface SweepStatus {
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  points: SweepPoint[];
  /** the layer the points belong to */
  label: string;
  error?: string;
}

/** A batch of points timed for a figure or a claim of the paper (Playground.measurePoints). */
export interface PointsRunStatus {
  state: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  /** what the points are for, e.g. the claim's id */
  label: string;
  error?: string;
}

/** One point of such a batch: a layer shape and token count, a structure, a strategy. */
export interface PointToTime {
  shape: Problem['shape'];
  structure: StructureSpec;
  strategy: Strategy;
}

/**
 * Key of a measured (problem, strategy) on the units that ran it, so the roofline finds the
 * timings of the current layer and path.
 */
export function measurementKey(problem: Problem, strategy: Strategy, path: KernelPath = 'fma'): string {
  return JSON.stringify([problem.shape, problem.structure, problem.dtype, strategy, path]);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** What the adapter can run: f16 where it has shader-f16, matrix units for the dtypes it reports configs for. */
function capabilitiesOf(gpu: GpuStatus): change.Capabilities {
  if (gpu.state !== 'ready') return { f16: true };
  const { dtypes, matrixConfigs = [], subgroupSize } = gpu.summary;
  return { f16: dtypes.includes('f16'), matrix: DTYPES.filter((d) => defaultPath(d, matrixConfigs, subgroupSize) === 'matrix') };
}

/** The units a plan target runs its products on. */
const pathOf = (t: PlanLimits): KernelPath => (!t.matrix ? 'fma' : t.matrix.emulated ? 'emulated' : 'matrix');

/** The path a worker request names: none for 'auto', so that the adapter chooses. */
const pathRequest = (e: ExperimentState): { path?: KernelPath } => (e.path === 'auto' ? {} : { path: e.path });

export class Playground {
  experiment = $state<ExperimentState>(change.normalise(structuredClone(DEFAULT_EXPERIMENT)));
  gpu = $state<GpuStatus>({ state: 'probing' });
  /** the browser's message when the device was lost; cleared by the next successful request */
  deviceLost = $state<string | null>(null);
  roofline = $state<RooflineStatus>({ state: 'idle', ceilings: null });
  point = $state<PointStatus>({ state: 'idle' });
  sweep = $state<SweepStatus>({ state: 'idle', done: 0, total: 0, points: [], label: '' });
  pointsRun = $state<PointsRunStatus>({ state: 'idle', done: 0, total: 0, label: '' });
  /** median GPU milliseconds by measurementKey, from single runs and sweeps */
  timings = $state<Record<string, number>>({});
  /** strategies this GPU could not run as asked, by measurementKey: what ran instead and why */
  fallbacks = $state<Record<string, Fallback>>({});

  capabilities = $derived<change.Capabilities>(capabilitiesOf(this.gpu));
  /** why f16 is greyed out, or null when it can be picked */
  f16Unavailable = $derived(this.capabilities.f16 ? null : "this GPU adapter lacks the 'shader-f16' feature");
  /** why the matrix path is greyed out, or null when it can be picked (or no GPU is known yet) */
  matrixUnavailable = $derived(
    !this.capabilities.matrix || this.capabilities.matrix.includes(this.experiment.dtype)
      ? null
      : `this GPU adapter exposes no matrix units for ${this.experiment.dtype} operands`,
  );
  problem = $derived(change.problemOf(this.experiment));
  /** the limits and matrix units this GPU plans the layer with (the ideal adapter of the cost model where none is known) */
  target = $derived(this.planTargetFor(this.problem.dtype));
  /** the path the products run on here: the one asked for, or the adapter's choice */
  ranPath = $derived<KernelPath>(pathOf(this.target));
  traffic = $derived(allStrategyTraffic(this.problem, this.target));
  denseTraffic = $derived(strategyTraffic(strategyCost({ ...this.problem, structure: { kind: 'dense' } }, 'tiled', this.target)));
  /** this GPU's roof for the chosen dtype, once measured */
  roof = $derived(this.roofline.ceilings && measuredRoof(this.roofline.ceilings, this.experiment.dtype));
  /** dense (as the reference) and every strategy of the structure, with their times on this GPU where measured */
  rooflineItems = $derived<MeasuredCost[]>(
    [...(this.experiment.structure === 'dense' ? [] : [this.denseTraffic]), ...this.traffic].map(({ strategy, cost }) => ({
      id: cost.problem.structure.kind === 'dense' ? 'dense' : strategy,
      label: configLabel(cost.problem.structure, strategy),
      cost,
      ms: this.timingOf(cost.problem, strategy),
      fallback: this.fallbacks[measurementKey(cost.problem, strategy, this.pathFor(cost.problem.dtype))],
    })),
  );
  busy = $derived(this.point.state === 'running' || this.sweep.state === 'running' || this.roofline.state === 'measuring' || this.pointsRun.state === 'running');
  /** the dtype this GPU runs the paper's points in: f16 where it can (the paper's bf16 has the same width) */
  paperDtype = $derived<DType>(this.gpu.state === 'ready' && this.gpu.summary.dtypes.includes('f16') ? 'f16' : 'f32');
  #pointsCancelled = false;

  constructor(
    private readonly client: GpuWorkerApi,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
  ) {}

  /** Asks the worker for a GPU; with one, shows cached ceilings or measures them. */
  async start(): Promise<void> {
    void this.client.onDeviceLost((m) => (this.deviceLost = m));
    try {
      const info = await this.client.info();
      this.gpu = info.available ? { state: 'ready', summary: info.summary } : { state: 'unavailable', reason: info.reason, message: info.message };
    } catch (e) {
      this.gpu = { state: 'unavailable', reason: 'device-failed', message: message(e) };
    }
    if (this.gpu.state !== 'ready') return;
    this.experiment = change.normalise(this.experiment, this.capabilities);
    const cached = this.storage && loadCeilings(this.storage, this.gpu.summary);
    if (cached) this.roofline = { state: 'ready', ceilings: cached };
    else await this.measureRoofline();
  }

  selectLayer(presetId: string, layerId: string) {
    this.experiment = change.withLayer(this.experiment, presetId, layerId, this.capabilities);
  }
  useCustomShape() {
    this.experiment = change.asCustom(this.experiment);
  }
  setShape(m: number, n: number) {
    this.experiment = change.withShape(this.experiment, m, n, this.capabilities);
  }
  setTokens(tokens: number) {
    this.experiment = change.withTokens(this.experiment, tokens);
  }
  setStructure(kind: StructureKind) {
    this.experiment = change.withStructure(this.experiment, kind, this.capabilities);
  }
  setBlocks(blocks: number) {
    this.experiment = change.withBlocks(this.experiment, blocks, this.capabilities);
  }
  setRank(rank: number) {
    this.experiment = change.withRank(this.experiment, rank, this.capabilities);
  }
  setStrategy(strategy: Strategy) {
    this.experiment = change.withStrategy(this.experiment, strategy);
  }
  setDtype(dtype: DType) {
    this.experiment = change.withDtype(this.experiment, dtype, this.capabilities);
  }
  setPath(path: PathChoice) {
    this.experiment = change.normalise({ ...this.experiment, path }, this.capabilities);
  }
  setSweep(tokens: number[]) {
    this.experiment = change.withSweep(this.experiment, tokens);
  }
  setDrawn(groups: string[] | null) {
    this.experiment = change.withDrawn(this.experiment, groups);
  }
  setView(view: ViewId, shown: boolean) {
    this.experiment = change.withView(this.experiment, view, shown);
  }
  /** Replaces the whole experiment, made valid first. */
  replaceExperiment(e: ExperimentState) {
    this.experiment = change.normalise(e, this.capabilities);
  }
  /** Shows an experiment the resolver has made already (a decoded link) as it is. */
  showResolved(e: ExperimentState) {
    this.experiment = e;
  }

  async measureRoofline(): Promise<void> {
    if (this.gpu.state !== 'ready') return;
    const summary = this.gpu.summary;
    this.roofline = { ...this.roofline, state: 'measuring' };
    try {
      const ceilings = { ...(await this.client.roofline()), measuredAt: new Date().toISOString() };
      if (this.storage) saveCeilings(this.storage, summary, ceilings);
      this.roofline = { state: 'ready', ceilings };
      this.deviceLost = null;
    } catch (e) {
      this.roofline = { ...this.roofline, state: 'error', error: message(e) };
    }
  }

  /**
   * Times the chosen layer and strategy, and dense at the same size for the speedup; on a GPU
   * first checks the kernel against the f64 reference at CHECK_TOKENS. `steps`: each of its
   * dispatches timed alone as well.
   */
  async runPoint(opts: { steps?: boolean } = {}): Promise<void> {
    const e = $state.snapshot(this.experiment);
    const problem = change.problemOf(e);
    const label = `${configLabel(problem.structure, e.strategy)} · ${e.n} → ${e.m} · T=${e.tokens} · ${e.dtype}`;
    try {
      let check: VerifyResult | undefined;
      const checkTokens = Math.min(e.tokens, CHECK_TOKENS);
      if (this.gpu.state === 'ready') {
        this.point = { state: 'running', label, phase: 'checking' };
        check = await this.client.verify({ problem: change.problemOf(e, checkTokens), strategy: e.strategy, seed: e.seed, ...pathRequest(e) });
      }
      this.point = { state: 'running', label, phase: 'timing' };
      const timing = await this.client.run({ problem, strategy: e.strategy, seed: e.seed, ...pathRequest(e), ...(opts.steps ? { steps: true } : {}) });
      this.record(problem, e.strategy, timing);
      const done = { state: 'done' as const, label, timing, ...(check && { check, checkTokens }) };
      this.point = done;
      if (problem.structure.kind === 'dense') return;
      this.point = { state: 'running', label, phase: 'timing dense' };
      const denseMs = await this.denseMs(problem, e);
      this.point = denseMs === undefined ? done : { ...done, denseMs };
    } catch (err) {
      this.point = { state: 'error', label, message: message(err) };
    }
  }

  /** Dense latency at the problem's size: remembered from an earlier run, else timed now; undefined when it cannot run. */
  private async denseMs(problem: Problem, e: ExperimentState): Promise<number | undefined> {
    const dense: Problem = { ...problem, structure: { kind: 'dense' } };
    const known = this.timingOf(dense, 'tiled');
    if (known !== undefined) return known;
    try {
      const timing = await this.client.run({ problem: dense, strategy: 'tiled', seed: e.seed, ...pathRequest(e) });
      this.record(dense, 'tiled', timing);
      return timing.medianMs;
    } catch {
      return undefined;
    }
  }

  /** Times dense and every strategy of the structure at the current tokens, for the roofline. */
  async timeAllStrategies(): Promise<void> {
    await this.runSweep([this.experiment.tokens]);
  }

  /** Runs dense and every strategy of the structure over `tokens` (the experiment's sweep by default). */
  async runSweep(tokens: number[] = this.experiment.sweep): Promise<void> {
    const e = $state.snapshot(this.experiment);
    const configs = sweepConfigs(change.specOf(e));
    this.sweep = { state: 'running', done: 0, total: tokens.length * configs.length, points: [], label: `${e.n} → ${e.m} · ${e.dtype}` };
    try {
      const outcome = await this.client.sweep({ m: e.m, n: e.n, dtype: e.dtype, tokens: [...tokens], configs, seed: e.seed, ...pathRequest(e) }, ({ done, point }) => {
        this.sweep.done = done;
        this.sweep.points.push(point);
        if (point.timing) this.record({ shape: { m: e.m, n: e.n, tokens: point.tokens }, structure: point.structure, dtype: e.dtype }, point.strategy, point.timing);
      });
      this.sweep.state = outcome.cancelled ? 'cancelled' : 'done';
    } catch (err) {
      this.sweep.state = 'error';
      this.sweep.error = message(err);
    }
  }

  cancelSweep() {
    void this.client.cancel();
  }

  /**
   * Times `points` on this GPU in `dtype`, skipping those timed already: one worker sweep per
   * layer shape and token count, so the worker's cancel stops it after the point in flight.
   */
  async measurePoints(points: PointToTime[], dtype: DType, label: string): Promise<void> {
    if (this.gpu.state !== 'ready' || this.busy) return;
    const todo = points.filter((p) => this.timingOf({ shape: p.shape, structure: p.structure, dtype }, p.strategy) === undefined);
    const groups = new Map<string, { shape: PointToTime['shape']; configs: SweepConfig[] }>();
    for (const p of todo) {
      const key = `${p.shape.m}x${p.shape.n}@${p.shape.tokens}`;
      const group = groups.get(key) ?? { shape: p.shape, configs: [] };
      group.configs.push({ structure: p.structure, strategy: p.strategy });
      groups.set(key, group);
    }
    this.#pointsCancelled = false;
    this.pointsRun = { state: 'running', done: 0, total: todo.length, label };
    const failures: string[] = [];
    try {
      for (const { shape, configs } of groups.values()) {
        if (this.#pointsCancelled) break;
        const req = { m: shape.m, n: shape.n, dtype, tokens: [shape.tokens], configs, seed: this.experiment.seed, ...pathRequest(this.experiment) };
        const outcome = await this.client.sweep(req, ({ point }) => {
          this.pointsRun.done++;
          if (point.timing) this.record({ shape, structure: point.structure, dtype }, point.strategy, point.timing);
          if (point.error) failures.push(`${configLabel(point.structure, point.strategy)} at ${shape.n} → ${shape.m}, T=${shape.tokens}: ${point.error}`);
        });
        if (outcome.cancelled) this.#pointsCancelled = true;
      }
      this.pointsRun.state = this.#pointsCancelled ? 'cancelled' : failures.length ? 'error' : 'done';
      if (failures.length) this.pointsRun.error = failures.join('; ');
    } catch (err) {
      this.pointsRun.state = 'error';
      this.pointsRun.error = message(err);
    }
  }

  cancelPoints() {
    this.#pointsCancelled = true;
    void this.client.cancel();
  }

  /** Median ms of (problem, strategy) on this GPU, on the path the experiment runs, when measured. */
  timingOf(problem: Problem, strategy: Strategy): number | undefined {
    return this.timings[measurementKey(problem, strategy, this.pathFor(problem.dtype))];
  }

  /** What this GPU plans a `dtype` layer with on the experiment's path; the cost model's ideal adapter without a GPU or where the path cannot run. */
  private planTargetFor(dtype: DType): PlanLimits {
    if (this.gpu.state !== 'ready') return IDEAL_ADAPTER;
    try {
      return planTarget(this.gpu.summary, dtype, pathRequest(this.experiment));
    } catch {
      return IDEAL_ADAPTER;
    }
  }

  /** The units a `dtype` layer runs on here, on the experiment's path. */
  pathFor(dtype: DType): KernelPath {
    return pathOf(this.planTargetFor(dtype));
  }

  private record(problem: Problem, strategy: Strategy, timing: PointTiming) {
    if (timing.backend !== 'webgpu') return;
    // A fallback ran another strategy: its time belongs to that one.
    const ran = timing.plan?.strategy ?? strategy;
    const path = timing.plan?.path ?? 'fma';
    this.timings[measurementKey(problem, ran, path)] = timing.medianMs;
    if (ran !== strategy) this.fallbacks[measurementKey(problem, strategy, path)] = { ran, reason: timing.plan?.fallbackReason ?? '' };
    this.deviceLost = null;
  }
}
