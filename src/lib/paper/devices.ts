/**
 * The paper's two GPUs (arXiv:2512.20861 §5): how a feed device is recognised as one of them,
 * their datasheet ceilings (the paper's device.py), and the rule that a measurement of such a
 * device replaces our cost model's prediction for it.
 */
import type { DeviceCeilings, PeakDType } from '../cost/ceilings';
import type { FeedDevice, MergedFeeds, MergedResult } from '../feed';

export type PaperDeviceId = 'a40' | 'jetson-orin-nano';

export interface PaperDevice {
  id: PaperDeviceId;
  name: string;
  /** the device id the default feed gives it */
  feedId: string;
  /** a feed device whose name matches is the same GPU (another owner's feed may pick another id) */
  namePattern: RegExp;
  /** the ceilings of the paper's device.py: bandwidth (in GiB/s there) and the bf16 peak */
  ceilings: DeviceCeilings;
  /** the models the paper ran on it (§5, "Evaluation Setup") */
  models: string[];
}

const GIB = 2 ** 30;

/** The dtype of the paper's peaks. */
export const PAPER_PEAK: PeakDType = 'bf16';

export const PAPER_DEVICES: Record<PaperDeviceId, PaperDevice> = {
  a40: {
    id: 'a40',
    name: 'NVIDIA A40',
    feedId: 'nvidia-a40',
    namePattern: /\bA40\b/i,
    ceilings: { bytesPerS: 696 * GIB, flopsPerS: { bf16: 149.7e12 } },
    models: ['llama-7b', 'dit-xl-2', 'llama-1b'],
  },
  'jetson-orin-nano': {
    id: 'jetson-orin-nano',
    name: 'NVIDIA Jetson Orin Nano 8GB',
    feedId: 'nvidia-jetson-orin-nano-8gb',
    namePattern: /orin[\s-]*nano/i,
    ceilings: { bytesPerS: 68.29 * GIB, flopsPerS: { bf16: 10e12 } },
    models: ['llama-1b', 'dit-xl-2', 'gpt2-s', 'vit-b-16'],
  },
};

/** Which of the paper's GPUs a feed device is, by id or name; null for any other. */
export function paperDeviceOf(d: Pick<FeedDevice, 'id' | 'name'>): PaperDeviceId | null {
  for (const p of Object.values(PAPER_DEVICES)) if (d.id === p.feedId || p.namePattern.test(d.name)) return p.id;
  return null;
}

const isModelled = (r: MergedResult) => r.implementation === 'cost-model';

/**
 * The feeds with every modelled result dropped where a measurement of the same GPU exists at
 * the same layer shape and token count (the same GPU: the same device id, or the same paper
 * device under another id). A device whose results were all replaced is dropped too.
 */
export function measuredFirst(merged: MergedFeeds): MergedFeeds {
  const identity = new Map(merged.devices.map((d) => [d.id, paperDeviceOf(d) ?? `id:${d.id}`]));
  const gpuOf = (r: MergedResult) => identity.get(r.device) ?? `id:${r.device}`;
  const pointOf = (r: MergedResult) => `${gpuOf(r)}|${r.shape.m}|${r.shape.n}|${r.shape.tokens}`;
  const measured = new Set(merged.results.filter((r) => !isModelled(r)).map(pointOf));
  const results = merged.results.filter((r) => !isModelled(r) || !measured.has(pointOf(r)));
  if (results.length === merged.results.length) return merged;
  const had = new Set(merged.results.map((r) => r.device));
  const has = new Set(results.map((r) => r.device));
  return { ...merged, devices: merged.devices.filter((d) => has.has(d.id) || !had.has(d.id)), results };
}
