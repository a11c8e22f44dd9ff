/**
 * Pure transitions of the experiment: every control goes through these, so the state the store
 * holds (and a link reproduces) is always a valid problem with knobs the controls offer.
 */
import { LIMITS } from '../../lib/limits';
import { findLayer, PRESETS, specFor, type PresetLayer } from '../../lib/presets';
import { resolveExperiment, type Capabilities } from '../../lib/share/resolve';
import { VIEW_IDS, type ExperimentState, type ViewId } from '../../lib/share/state';
import { blockChoices, defaultBlocks, defaultKnobs, defaultRank, knobsOf, rankChoices, specFrom, type Knobs } from '../../lib/structures/knobs';
import { type DType, type Problem, type Strategy, type StructureKind, type StructureSpec } from '../../lib/structures/types';
import { DEFAULT_STRATEGY, STRATEGIES } from '../../lib/structures/kinds';

export type { Capabilities } from '../../lib/share/resolve';
export { blockChoices, rankChoices } from '../../lib/structures/knobs';

export function specOf(e: ExperimentState): StructureSpec {
  return specFrom(e.structure, e);
}

export function problemOf(e: ExperimentState, tokens = e.tokens): Problem {
  return { shape: { m: e.m, n: e.n, tokens }, structure: specOf(e), dtype: e.dtype };
}

export function presetLayerOf(e: ExperimentState): PresetLayer | undefined {
  return e.preset && e.layer ? findLayer(e.preset, e.layer) : undefined;
}

/** The preset's knobs for `kind` when the layer has a config for it, else the defaults. */
function knobsFor(kind: StructureKind, m: number, n: number, layer: PresetLayer | undefined): Knobs {
  const spec = layer ? specFor(layer, kind) : null;
  return { ...defaultKnobs(kind, m, n), ...(spec ? knobsOf(spec) : {}) };
}

/**
 * The nearest valid experiment, as the experiment resolver makes it (the one a link goes
 * through): a known preset layer or a custom shape within LIMITS, blocks that divide m and n, a
 * rank in range (a multiple of b for Monarch), a strategy the structure has, a dtype the
 * adapter runs. Controls offer only valid values, so this changes nothing they set.
 */
export function normalise(e: ExperimentState, caps?: Capabilities): ExperimentState {
  return resolveExperiment(e, { catalog: PRESETS, caps }).state;
}

/** Selects a preset layer: its shape, its tokens and its knobs for the current structure. */
export function withLayer(e: ExperimentState, presetId: string, layerId: string, caps?: Capabilities): ExperimentState {
  const layer = findLayer(presetId, layerId);
  if (!layer) return e;
  const knobs = knobsFor(e.structure, layer.m, layer.n, layer);
  return normalise({ ...e, preset: presetId, layer: layerId, m: layer.m, n: layer.n, tokens: layer.tokens, ...knobs }, caps);
}

/** A custom shape: leaves the preset, keeps b where it still divides and the rank where it still fits. */
export function withShape(e: ExperimentState, m: number, n: number, caps?: Capabilities): ExperimentState {
  if (m === e.m && n === e.n) return e;
  const blocks = blockChoices(m, n).includes(e.blocks) ? e.blocks : defaultBlocks(m, n);
  const rank = e.rank <= Math.min(m, n) ? e.rank : defaultRank(e.structure, m, n, blocks);
  return normalise({ ...e, preset: null, layer: null, m, n, blocks, rank }, caps);
}

/** Leaves the preset and keeps its shape as a custom one. */
export function asCustom(e: ExperimentState): ExperimentState {
  return { ...e, preset: null, layer: null };
}

/**
 * Another structure, with the preset's knobs for it (or defaults); the strategy stays where the
 * structure has it, else the structure's default.
 */
export function withStructure(e: ExperimentState, kind: StructureKind, caps?: Capabilities): ExperimentState {
  if (kind === e.structure) return e;
  const knobs = knobsFor(kind, e.m, e.n, presetLayerOf(e));
  const strategy = STRATEGIES[kind].includes(e.strategy) ? e.strategy : DEFAULT_STRATEGY[kind];
  return normalise({ ...e, structure: kind, ...knobs, strategy }, caps);
}

/** A new block count: the rank moves to the nearest multiple of it where Monarch needs that. */
export function withBlocks(e: ExperimentState, blocks: number, caps?: Capabilities): ExperimentState {
  return normalise({ ...e, blocks }, caps);
}

export function withRank(e: ExperimentState, rank: number, caps?: Capabilities): ExperimentState {
  return normalise({ ...e, rank }, caps);
}

export function withStrategy(e: ExperimentState, strategy: Strategy): ExperimentState {
  return STRATEGIES[e.structure].includes(strategy) ? { ...e, strategy } : e;
}

export function withDtype(e: ExperimentState, dtype: DType, caps?: Capabilities): ExperimentState {
  return normalise({ ...e, dtype }, caps);
}

export function withTokens(e: ExperimentState, tokens: number): ExperimentState {
  return normalise({ ...e, tokens });
}

export function withSweep(e: ExperimentState, sweep: number[]): ExperimentState {
  return sweep.length ? normalise({ ...e, sweep }) : e;
}

/** Shows or hides one view; the list stays in VIEW_IDS order. */
export function withView(e: ExperimentState, view: ViewId, shown: boolean): ExperimentState {
  return { ...e, views: VIEW_IDS.filter((v) => (v === view ? shown : e.views.includes(v))) };
}

/** The feed groups the charts draw; null gives the choice back to the page's per-layer default. */
export function withDrawn(e: ExperimentState, drawn: string[] | null): ExperimentState {
  return { ...e, drawn: drawn && [...new Set(drawn)] };
}

/**
 * Token counts from text such as "1, 16, 128": whole numbers ≥ 1 separated by commas or
 * spaces, or a message naming the first bad entry.
 */
export function parseTokenList(text: string, maxTokens: number = LIMITS.tokens, maxCount: number = LIMITS.sweepPoints): { tokens: number[] } | { error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return { error: 'enter at least one token count' };
  if (parts.length > maxCount) return { error: `at most ${maxCount} token counts` };
  const tokens: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 1) return { error: `"${p}" is not a whole number ≥ 1` };
    if (v > maxTokens) return { error: `${v} is over the limit of ${maxTokens} tokens` };
    tokens.push(v);
  }
  return { tokens: [...new Set(tokens)].sort((a, b) => a - b) };
}
