/** The page title: which experiment this tab shows, so tabs and bookmarks tell experiments apart. */
import type { Preset } from '../../lib/presets';
import type { ExperimentState } from '../../lib/share/state';
import { structureLabel } from '../../lib/structures/shapes';
import { specOf } from '../data/experiment';

export const SITE_NAME = 'BLR Playground';

/** e.g. "Llama-7B qkvo_proj · Monarch b=16 R=1024 · T=1024 — BLR Playground" */
export function experimentTitle(e: ExperimentState, presets: readonly Preset[]): string {
  const preset = e.preset === null ? undefined : presets.find((p) => p.id === e.preset);
  const layer = preset && e.layer ? `${preset.name} ${e.layer}` : `custom ${e.n} → ${e.m}`;
  const dtype = e.dtype === 'f32' ? '' : ` · ${e.dtype}`;
  return `${layer} · ${structureLabel(specOf(e))} · T=${e.tokens}${dtype} — ${SITE_NAME}`;
}
