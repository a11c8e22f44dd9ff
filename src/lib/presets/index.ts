/** The paper's layer configs as presets, and the structure specs they give. */
import { structure } from '../structures/kinds';
import { specFrom } from '../structures/knobs';
import type { StructureKind, StructureSpec } from '../structures/types';
import { PRESETS } from './data';
import type { Preset, PresetLayer } from './types';

export type { LayerConfigs, Preset, PresetLayer } from './types';
export { PRESETS } from './data';

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export function findLayer(presetId: string, layerId: string): PresetLayer | undefined {
  return findPreset(presetId)?.layers.find((l) => l.id === layerId);
}

/** The paper's knobs for `kind` at this layer; null where the paper has no such config. */
export function specFor(layer: PresetLayer, kind: StructureKind): StructureSpec | null {
  const given = structure(kind).presetKnobs(layer);
  return given && specFrom(kind, given);
}
