/**
 * Pure transitions of the experiment: every control goes through these, so the state the store
 * holds (and a link reproduces) is always a valid problem with knobs the controls offer.
 */
import { findLayer, specFor, type PresetLayer } from '../../lib/presets';
import { VIEW_IDS, type ExperimentState, type ViewId } from '../../lib/share/state';
import { STRATEGIES, type DType, type Problem, type Strategy, type StructureKind, type StructureSpec } from '../../lib/structures/types';

/** The strategy a structure starts with: the paper's design where there is one. */
const PREFERRED_STRATEGY: Record<StructureKind, Strategy> = {
  dense: 'tiled',
  lowrank: 'fused',
  monarch: 'partial',
  blast: 'partial',
};

/** Largest block count the controls offer; the paper uses at most 16. */
const MAX_BLOCKS = 64;

export function specOf(e: ExperimentState): StructureSpec {
  switch (e.structure) {
    case 'dense':
      return { kind: 'dense' };
    case 'lowrank':
      return { kind: 'lowrank', rank: e.rank };
    case 'monarch':
    case 'blast':
      return { kind: e.structure, blocks: e.blocks, rank: e.rank };
  }
}

export function problemOf(e: ExperimentState, tokens = e.tokens): Problem {
  return { shape: { m: e.m, n: e.n, tokens }, structure: specOf(e), dtype: e.dtype };
}

export function presetLayerOf(e: ExperimentState): PresetLayer | undefined {
  return e.preset && e.layer ? findLayer(e.preset, e.layer) : undefined;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Block counts b that divide both m and n, up to MAX_BLOCKS, and `current` where it divides them too (a link may hold a larger one). */
export function blockChoices(m: number, n: number, current?: number): number[] {
  const g = gcd(m, n);
  const out: number[] = [];
  for (let b = 1; b <= Math.min(g, MAX_BLOCKS); b++) if (g % b === 0) out.push(b);
  if (current !== undefined && current > MAX_BLOCKS && Number.isInteger(current) && g % current === 0) out.push(current);
  return out;
}

/**
 * Ranks the controls offer: multiples of `step` (b for Monarch, else 1) up to min(m, n), as
 * step·2^k and step·3·2^k plus the largest one, and any valid `extras` (the preset's, the current).
 */
export function rankChoices(kind: StructureKind, m: number, n: number, blocks: number, extras: number[] = []): number[] {
  if (kind === 'dense') return [];
  const step = kind === 'monarch' ? blocks : 1;
  const max = Math.floor(Math.min(m, n) / step) * step;
  const values = new Set<number>();
  for (const base of [step, 3 * step]) for (let v = base; v <= max; v *= 2) values.add(v);
  if (max >= step) values.add(max);
  for (const v of extras) if (Number.isInteger(v) && v >= step && v <= max && v % step === 0) values.add(v);
  return [...values].sort((a, b) => a - b);
}

function nearest(choices: number[], target: number): number {
  return choices.reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best), choices[0]);
}

/** b = 4 where it divides m and n, else the smallest block count above 1 that does. */
function defaultBlocks(m: number, n: number): number {
  const offered = blockChoices(m, n);
  return offered.includes(4) ? 4 : (offered.find((b) => b > 1) ?? 1);
}

/** The largest offered rank up to min(m, n)/4: about a 2× compression for square layers. */
function defaultRank(kind: StructureKind, m: number, n: number, blocks: number): number {
  const ranks = rankChoices(kind, m, n, blocks);
  const target = Math.min(m, n) / 4;
  return ranks.filter((r) => r <= target).pop() ?? ranks[0] ?? 1;
}

/** Knobs for a shape with no preset config. */
function defaultKnobs(kind: StructureKind, m: number, n: number): { blocks: number; rank: number } {
  const blocks = defaultBlocks(m, n);
  return { blocks, rank: defaultRank(kind, m, n, blocks) };
}

/** The preset's knobs for `kind` when the layer has a config for it, else the defaults. */
function knobsFor(kind: StructureKind, m: number, n: number, layer: PresetLayer | undefined): { blocks: number; rank: number } {
  const spec = layer ? specFor(layer, kind) : null;
  const fallback = defaultKnobs(kind, m, n);
  if (!spec || spec.kind === 'dense') return fallback;
  return { blocks: 'blocks' in spec ? spec.blocks : fallback.blocks, rank: spec.rank };
}

export interface Capabilities {
  /** whether f16 can run; false only when an adapter is known to lack shader-f16 */
  f16: boolean;
}

/**
 * The nearest valid experiment: whole positive sizes, a known preset layer or none, blocks that
 * divide m and n, a rank in range (a multiple of b for Monarch), a strategy the structure has,
 * a dtype the adapter runs.
 */
export function normalise(e: ExperimentState, caps: Capabilities = { f16: true }): ExperimentState {
  const whole = (v: number, fallback: number) => (Number.isFinite(v) && v >= 1 ? Math.floor(v) : fallback);
  const m = whole(e.m, 1);
  const n = whole(e.n, 1);
  const layer = e.preset && e.layer ? findLayer(e.preset, e.layer) : undefined;
  const onLayer = layer !== undefined && layer.m === m && layer.n === n;
  const out: ExperimentState = {
    ...e,
    m,
    n,
    preset: onLayer ? e.preset : null,
    layer: onLayer ? e.layer : null,
    tokens: whole(e.tokens, 1),
    sweep: [...new Set(e.sweep.map((t) => whole(t, 1)))],
    views: e.views.filter((v, i) => VIEW_IDS.includes(v) && e.views.indexOf(v) === i),
    dtype: e.dtype === 'f16' && !caps.f16 ? 'f32' : e.dtype,
  };
  if (!STRATEGIES[out.structure].includes(out.strategy)) out.strategy = PREFERRED_STRATEGY[out.structure];
  // Knobs a structure does not use stay as they are: switching back restores them.
  if (out.structure === 'dense') return out;
  if (out.structure !== 'lowrank') {
    const blocksOffered = blockChoices(m, n, out.blocks);
    if (!blocksOffered.includes(out.blocks)) out.blocks = nearest(blocksOffered, out.blocks);
  }
  const step = out.structure === 'monarch' ? out.blocks : 1;
  const max = Math.floor(Math.min(m, n) / step) * step;
  out.rank = Math.min(max, Math.max(step, Math.round(out.rank / step) * step));
  return out;
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
  const blocks = blockChoices(m, n, e.blocks).includes(e.blocks) ? e.blocks : defaultBlocks(m, n);
  const rank = e.rank <= Math.min(m, n) ? e.rank : defaultRank(e.structure, m, n, blocks);
  return normalise({ ...e, preset: null, layer: null, m, n, blocks, rank }, caps);
}

/** Leaves the preset and keeps its shape as a custom one. */
export function asCustom(e: ExperimentState): ExperimentState {
  return { ...e, preset: null, layer: null };
}

/** Another structure, with the preset's knobs for it (or defaults) and a strategy it has. */
export function withStructure(e: ExperimentState, kind: StructureKind, caps?: Capabilities): ExperimentState {
  if (kind === e.structure) return e;
  const knobs = knobsFor(kind, e.m, e.n, presetLayerOf(e));
  return normalise({ ...e, structure: kind, ...knobs }, caps);
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
export function parseTokenList(text: string, maxTokens: number, maxCount = 32): { tokens: number[] } | { error: string } {
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
