/** What the GPU worker offers the page, and the shapes of what it answers. */
import type { MeasuredCeilings } from '../lib/gpu/roofline';
import type { TimerKind } from '../lib/gpu/timing';
import type { AdapterSummary, KernelPath, PlanInfo, StepTime, VerifyResult } from '../lib/gpu/types';
import type { DType, Problem, Strategy, StructureSpec } from '../lib/structures/types';

/** Why the page cannot use WebGPU; each has its own advice in the banner. */
export type GpuUnavailableReason = 'insecure-context' | 'no-webgpu' | 'no-adapter' | 'device-failed';

export type GpuInfo =
  | { available: true; summary: AdapterSummary }
  | { available: false; reason: GpuUnavailableReason; message: string };

export interface PointRequest {
  problem: Problem;
  strategy: Strategy;
  seed: number;
  /** the units its products run on; by default the adapter's matrix units where it has them for the dtype */
  path?: KernelPath;
  /** also time each dispatch of the plan alone (on the GPU; PointTiming.steps) */
  steps?: boolean;
}

/** One timed layer: on the GPU, or without WebGPU on the f64 CPU reference. */
export interface PointTiming {
  backend: 'webgpu' | 'cpu-reference';
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  /** samples timed: the median and percentiles are across them */
  samples: number;
  timer: TimerKind | 'cpu-clock';
  /** on the GPU: the timer's step, read off its readings, ms */
  resolutionMs?: number;
  /** on the GPU: runs timed back to back in each sample (its time is theirs / runsPerSample) */
  runsPerSample?: number;
  /** the GPU plan; its strategy differs from the one asked for on a fallback */
  plan?: PlanInfo;
  /** where asked for, on the GPU: each dispatch timed alone, in plan order */
  steps?: StepTime[];
}

/** One line of a sweep: a structure run with one strategy. */
export interface SweepConfig {
  structure: StructureSpec;
  strategy: Strategy;
}

export interface SweepRequest {
  m: number;
  n: number;
  dtype: DType;
  tokens: number[];
  configs: SweepConfig[];
  seed: number;
  path?: KernelPath;
}

export interface SweepPoint extends SweepConfig {
  tokens: number;
  timing?: PointTiming;
  /** why this point has no timing (too large for the CPU reference, a plan error) */
  error?: string;
}

export interface SweepProgress {
  done: number;
  total: number;
  point: SweepPoint;
}

export interface SweepOutcome {
  points: SweepPoint[];
  cancelled: boolean;
}

/** Every method is async: the page calls it across the worker boundary. */
export interface GpuWorkerApi {
  info(): Promise<GpuInfo>;
  roofline(opts?: { quick?: boolean }): Promise<MeasuredCeilings>;
  verify(req: PointRequest): Promise<VerifyResult>;
  run(req: PointRequest): Promise<PointTiming>;
  sweep(req: SweepRequest, onProgress: (p: SweepProgress) => void): Promise<SweepOutcome>;
  /** stops a running sweep after its current point */
  cancel(): Promise<void>;
  /** called with the browser's message whenever the device is lost */
  onDeviceLost(listener: (message: string) => void): Promise<void>;
}
