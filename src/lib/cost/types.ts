/** What the cost model returns (docs/cost-model.md): FLOPs and bytes moved, per kernel dispatch. */
import type { Problem, Strategy } from '../structures/types';

export type TensorRole = 'input' | 'weight' | 'intermediate' | 'output';

/** One tensor's traffic in one dispatch: read once and/or written once, in bytes. */
export interface TensorTraffic {
  tensor: string;
  role: TensorRole;
  bytesRead: number;
  bytesWritten: number;
}

export interface DispatchCost {
  /** the dispatch's name in the GPU plan (the step names of the plan builders, src/lib/structures/kinds/) */
  name: string;
  flops: number;
  tensors: TensorTraffic[];
  /** Σ bytesRead + bytesWritten over `tensors` */
  bytes: number;
}

export interface StrategyCost {
  problem: Problem;
  strategy: Strategy;
  /** the strategy whose dispatches these are, where `strategy` does not fit the adapter and falls back */
  ran?: Strategy;
  params: number;
  flops: number;
  bytes: number;
  /** arithmetic intensity, FLOPs per byte moved */
  intensity: number;
  dispatches: DispatchCost[];
}
