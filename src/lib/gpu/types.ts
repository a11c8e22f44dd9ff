/** What the kernel engine promises its callers (CLI, browser worker, benchmark). */
import type { DType, Problem, Strategy } from '../structures/types';
import type { MatrixConfig } from './matrix';
import type { TimerKind } from './timing';

/** One GPU dispatch of a plan, named as the cost model names it. */
export interface PlannedDispatch {
  /** e.g. 'stage1-gemm', 'permute', 'stage2-gemm' */
  name: string;
  /** WGSL kernel family, e.g. 'gemm', 'blast-couple' */
  kernel: string;
  workgroups: [number, number, number];
}

/**
 * Which units run a plan's products: plain FMA arithmetic, the adapter's matrix units (subgroup
 * matrices), or gemm-mma.wgsl with its matrix operations emulated in plain WGSL (for checking
 * that kernel where the adapter has no matrix units; not for speed).
 */
export type KernelPath = 'fma' | 'matrix' | 'emulated';
export const KERNEL_PATHS: readonly KernelPath[] = ['fma', 'matrix', 'emulated'];

/** How the engine will run (problem, strategy) on this device. */
export interface PlanInfo {
  problem: Problem;
  /** the strategy asked for */
  requested: Strategy;
  /** the strategy run: differs from `requested` only on a fallback */
  strategy: Strategy;
  /** why the requested strategy fell back, in words; absent when it did not */
  fallbackReason?: string;
  /** the units its products run on (gemv's few-token products stay on FMA units whatever the path); absent: fma */
  path?: KernelPath;
  dispatches: PlannedDispatch[];
}

export interface VerifyResult {
  plan: PlanInfo;
  seed: number;
  relErr: number;
  maxAbsErr: number;
  /** token rows compared against the f64 reference (all rows unless the problem is large) */
  rowsChecked: number;
  tolerance: number;
  ok: boolean;
}

export interface TimingResult {
  plan: PlanInfo;
  /** median latency of the whole layer (all its dispatches), milliseconds */
  medianMs: number;
  /** 10th and 90th percentile, milliseconds */
  p10Ms: number;
  p90Ms: number;
  /** batches timed: the median and percentiles are across them */
  samples: number;
  /** 'timestamp-query' when GPU timestamps were used, else 'cpu-submit' (wall clock around submit) */
  timer: TimerKind;
  /** the timer's step, read off its readings, milliseconds */
  resolutionMs: number;
  /** runs of the layer timed back to back between one pair of readings; a sample is their time / runsPerSample */
  runsPerSample: number;
  /**
   * Where asked for: the median of each dispatch timed alone, in plan order (they add up to a
   * little more than medianMs: pass boundaries)
   */
  steps?: StepTime[];
}

export interface StepTime {
  /** the plan step's name, e.g. 'stage1-gemm' or 'stage1-gemm (split-K ×4 reduce)' */
  name: string;
  medianMs: number;
  /** this dispatch's runs a sample */
  runsPerSample: number;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
  /** dtypes this adapter can run */
  dtypes: DType[];
  /** its subgroup-matrix configs (absent or empty without matrix units) */
  matrixConfigs?: MatrixConfig[];
  /** threads of a subgroup, where the adapter has one fixed size */
  subgroupSize?: number;
}
