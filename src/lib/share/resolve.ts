/**
 * From the values a link gave (each already valid on its own) to a whole, consistent
 * experiment: the shape follows the preset layer, the knobs must fit the shape, the strategy
 * must exist for the structure. What the link left out, or got wrong, takes its default.
 */
import { STRATEGIES, type StructureKind, type StructureSpec } from '../structures/types';
import { validateProblem } from '../structures/validate';
import { notice, type LinkNotice } from './notices';
import { CUSTOM_PRESET } from './params';
import { DEFAULT_EXPERIMENT as DEFAULT, type ExperimentState } from './state';

export interface Knobs {
  blocks: number;
  rank: number;
}

/** The parts of a preset the codec needs; the presets module's `PRESETS` is one. */
export interface CatalogLayer {
  id: string;
  m: number;
  n: number;
  tokens: number;
  monarch: Knobs | null;
  blast: Knobs;
  lowrank: { rank: number };
}

export interface CatalogPreset {
  id: string;
  layers: readonly CatalogLayer[];
}

export type PresetCatalog = readonly CatalogPreset[];

interface Source {
  preset: string | null;
  layer: string | null;
  /** the catalog's layer, when the link names one the catalog has */
  entry?: CatalogLayer;
}

export function resolveExperiment(given: Partial<ExperimentState>, catalog?: PresetCatalog): { state: ExperimentState; notices: LinkNotice[] } {
  const notices: LinkNotice[] = [];
  const source = resolveSource(given, catalog, notices);
  const { entry } = source;
  const m = entry ? fixedSize('m', given.m, entry.m, source, notices) : (given.m ?? DEFAULT.m);
  const n = entry ? fixedSize('n', given.n, entry.n, source, notices) : (given.n ?? DEFAULT.n);
  const tokens = given.tokens ?? entry?.tokens ?? DEFAULT.tokens;
  const structure = given.structure ?? DEFAULT.structure;
  const preferred = (entry && layerKnobs(entry, structure)) ?? { blocks: DEFAULT.blocks, rank: DEFAULT.rank };
  const { blocks, rank } = resolveKnobs({ m, n, tokens }, structure, given, preferred, notices);

  let strategy = given.strategy ?? DEFAULT.strategy;
  if (!STRATEGIES[structure].includes(strategy)) {
    const fallback = defaultStrategy(structure);
    if (given.strategy !== undefined) {
      notices.push(notice('strategy', strategy, `${structure} has no ${strategy} strategy (it has ${STRATEGIES[structure].join(', ')}); using ${fallback}`));
    }
    strategy = fallback;
  }

  return {
    state: {
      preset: source.preset,
      layer: source.layer,
      m,
      n,
      tokens,
      structure,
      blocks,
      rank,
      strategy,
      dtype: given.dtype ?? DEFAULT.dtype,
      sweep: [...(given.sweep ?? DEFAULT.sweep)],
      views: [...(given.views ?? DEFAULT.views)],
      feeds: [...(given.feeds ?? DEFAULT.feeds)],
      drawn: given.drawn ? [...given.drawn] : DEFAULT.drawn,
      seed: given.seed ?? DEFAULT.seed,
    },
    notices,
  };
}

/** The experiment's strategy where the structure has it, else the structure's first. */
export function defaultStrategy(structure: StructureKind): ExperimentState['strategy'] {
  const options = STRATEGIES[structure];
  return options.includes(DEFAULT.strategy) ? DEFAULT.strategy : options[0];
}

/**
 * Which preset and layer. No preset in the link means the default one, unless the link gives
 * m or n: then it describes a custom shape.
 */
function resolveSource(given: Partial<ExperimentState>, catalog: PresetCatalog | undefined, notices: LinkNotice[]): Source {
  const explicitShape = given.m !== undefined || given.n !== undefined;
  let preset = given.preset;
  if (typeof preset === 'string' && catalog && !catalog.some((p) => p.id === preset)) {
    const using = explicitShape ? 'a custom shape' : DEFAULT.preset;
    notices.push(notice('preset', preset, `unknown preset (known: ${catalog.map((p) => p.id).join(', ')}); using ${using}`));
    preset = undefined;
  }
  if (preset === undefined) preset = explicitShape ? null : DEFAULT.preset;
  if (preset === null) {
    if (typeof given.layer === 'string') {
      notices.push(notice('layer', given.layer, `a custom shape (preset=${CUSTOM_PRESET}) has no layer; ignored`));
    }
    return { preset: null, layer: null };
  }

  const presetEntry = catalog?.find((p) => p.id === preset);
  if (!presetEntry || presetEntry.layers.length === 0) {
    return { preset, layer: given.layer ?? (preset === DEFAULT.preset ? DEFAULT.layer : null) };
  }
  const first = presetEntry.layers[0];
  const named = typeof given.layer === 'string' ? presetEntry.layers.find((l) => l.id === given.layer) : undefined;
  if (typeof given.layer === 'string' && !named) {
    const known = presetEntry.layers.map((l) => l.id).join(', ');
    notices.push(notice('layer', given.layer, `${preset} has no such layer (it has ${known}); using ${first.id}`));
  }
  const entry = named ?? first;
  return { preset, layer: entry.id, entry };
}

/** A preset layer fixes m and n; a link that disagrees is told so and gets the layer's. */
function fixedSize(key: 'm' | 'n', given: number | undefined, fixed: number, source: Source, notices: LinkNotice[]): number {
  if (given !== undefined && given !== fixed) {
    notices.push(notice(key, String(given), `${source.preset}/${source.layer} has ${key}=${fixed}; use preset=${CUSTOM_PRESET} for another shape; using ${fixed}`));
  }
  return fixed;
}

/** The paper's knobs for this layer and structure, where it has them. */
function layerKnobs(entry: CatalogLayer, structure: StructureKind): Knobs | null {
  switch (structure) {
    case 'monarch':
      return entry.monarch;
    case 'blast':
      return entry.blast;
    case 'lowrank':
      return { blocks: DEFAULT.blocks, rank: entry.lowrank.rank };
    case 'dense':
      return null;
  }
}

function spec(structure: StructureKind, { blocks, rank }: Knobs): StructureSpec {
  switch (structure) {
    case 'dense':
      return { kind: 'dense' };
    case 'lowrank':
      return { kind: 'lowrank', rank };
    case 'monarch':
    case 'blast':
      return { kind: structure, blocks, rank };
  }
}

/**
 * Knobs that validateProblem accepts for this shape: the link's where they fit, else the ones
 * nearest the preferred (layer or default) knobs. Knobs a structure ignores are kept as given.
 */
function resolveKnobs(
  shape: { m: number; n: number; tokens: number },
  structure: StructureKind,
  given: Partial<ExperimentState>,
  preferred: Knobs,
  notices: LinkNotice[],
): Knobs {
  const knobs = { blocks: given.blocks ?? preferred.blocks, rank: given.rank ?? preferred.rank };
  const problems = (field: 'blocks' | 'rank') =>
    validateProblem({ shape, structure: spec(structure, knobs), dtype: DEFAULT.dtype })
      .filter((issue) => issue.field === field)
      .map((issue) => issue.message);

  const blockProblems = problems('blocks');
  if (blockProblems.length > 0) {
    knobs.blocks = largestDivisorAtMost(gcd(shape.m, shape.n), preferred.blocks);
    if (given.blocks !== undefined) notices.push(notice('blocks', String(given.blocks), `${blockProblems.join('; ')}; using ${knobs.blocks}`));
  }
  const rankProblems = problems('rank');
  if (rankProblems.length > 0) {
    const cap = Math.min(preferred.rank, shape.m, shape.n);
    // Monarch's R is a multiple of b; b divides m and n here, so R = b always fits.
    knobs.rank = structure === 'monarch' ? Math.max(knobs.blocks, Math.floor(cap / knobs.blocks) * knobs.blocks) : cap;
    if (given.rank !== undefined) notices.push(notice('rank', String(given.rank), `${rankProblems.join('; ')}; using ${knobs.rank}`));
  }
  return knobs;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function largestDivisorAtMost(value: number, limit: number): number {
  for (let d = Math.min(value, limit); d > 1; d--) if (value % d === 0) return d;
  return 1;
}
