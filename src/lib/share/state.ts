/**
 * The experiment: everything a link reproduces. The UI store holds one of these; the link
 * codec (src/lib/share/codec.ts) turns it into query parameters and back.
 */
import type { KernelPath } from '../gpu/types';
import type { DType, Strategy, StructureKind } from '../structures/types';

/** The units a run's products take: 'auto' leaves it to the adapter (matrix units where it has them for the dtype). */
export type PathChoice = 'auto' | KernelPath;
export const PATH_CHOICES: readonly PathChoice[] = ['auto', 'fma', 'matrix', 'emulated'];

export type ViewId = 'structure' | 'traffic' | 'roofline' | 'timing' | 'compare' | 'paper';
export const VIEW_IDS: readonly ViewId[] = ['structure', 'traffic', 'roofline', 'timing', 'compare', 'paper'];

export interface ExperimentState {
  /** preset model id (e.g. 'llama-7b') or null for a custom shape */
  preset: string | null;
  /** layer id within the preset (e.g. 'qkvo_proj'), null for a custom shape */
  layer: string | null;
  /** output features */
  m: number;
  /** input features */
  n: number;
  /** tokens for a single run */
  tokens: number;
  structure: StructureKind;
  /** b for Monarch and BLAST (ignored otherwise) */
  blocks: number;
  /** r (low-rank, BLAST) or R (Monarch); ignored for dense */
  rank: number;
  strategy: Strategy;
  dtype: DType;
  /** the units the products run on */
  path: PathChoice;
  /** token counts of a sweep */
  sweep: number[];
  /** views shown */
  views: ViewId[];
  /** remote feed URLs loaded on top of the bundled one */
  feeds: string[];
  /**
   * feed groups (`device|implementation|dtype`) the timing and roofline views draw; null until
   * chosen: then one per device, picked for the layer (src/ui/feeds/feed-series.ts)
   */
  drawn: string[] | null;
  /** seed of the random inputs and weights */
  seed: number;
}

/** Llama-7B q/k/v/o projection as Monarch, the paper's configuration (b=16, R=1024, T=1024). */
export const DEFAULT_EXPERIMENT: ExperimentState = {
  preset: 'llama-7b',
  layer: 'qkvo_proj',
  m: 4096,
  n: 4096,
  tokens: 1024,
  structure: 'monarch',
  blocks: 16,
  rank: 1024,
  strategy: 'partial',
  dtype: 'f32',
  path: 'auto',
  sweep: [1, 16, 128, 1024],
  // The page opens under four screens at 1280 × 800; memory traffic and the paper are a click away.
  views: ['structure', 'roofline', 'timing', 'compare'],
  feeds: [],
  drawn: null,
  seed: 1,
};
