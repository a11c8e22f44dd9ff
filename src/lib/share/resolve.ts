/**
 * The experiment resolver: from what a link, a control, a shared snapshot or the command line
 * gave to a whole, consistent experiment within LIMITS. The shape follows the preset layer, the
 * knobs must fit the shape, the strategy must exist for the structure, the dtype must run on the
 * adapter. What was left out takes its default; what was wrong takes the nearest valid value
 * and a notice saying so. Callers that must not substitute (the CLI, a snapshot's points) use
 * exactProblem, which names the same problems and uses nothing instead.
 */
import { isWhole, LIMITS } from '../limits';
import type { LayerConfigs } from '../presets/types';
import { blockChoices, defaultKnobs, hasKnob, nearestBlocks, nearestRank, specFrom, type Knobs } from '../structures/knobs';
import { DTYPES, type DType, type Problem, type Strategy, type StructureKind } from '../structures/types';
import { DEFAULT_STRATEGY, STRATEGIES, structure as structureModule, STRUCTURE_KINDS } from '../structures/kinds';
import { validateProblem } from '../structures/validate';
import { notice, type LinkNotice } from './notices';
import { checkFeedUrl, CUSTOM_PRESET, GROUP_FORM } from './params';
import { DEFAULT_EXPERIMENT as DEFAULT, PATH_CHOICES, VIEW_IDS, type ExperimentState, type PathChoice } from './state';

export type { Knobs } from '../structures/knobs';

/** The parts of a preset the resolver needs; the presets module's `PRESETS` is one. */
export interface CatalogLayer extends LayerConfigs {
  id: string;
  m: number;
  n: number;
  tokens: number;
}

export interface CatalogPreset {
  id: string;
  layers: readonly CatalogLayer[];
}

export type PresetCatalog = readonly CatalogPreset[];

/** What the adapter can run; f16 is false only when an adapter is known to lack shader-f16. */
export interface Capabilities {
  f16: boolean;
  /** dtypes whose operands the adapter's matrix units take (absent: unknown, every path allowed) */
  matrix?: DType[];
}

export interface ResolveOptions {
  /**
   * Known presets. With them, unknown preset and layer ids are reported and a preset layer
   * supplies m, n, tokens and knobs; without them, ids are only checked for form.
   */
  catalog?: PresetCatalog;
  caps?: Capabilities;
}

export interface Resolved {
  state: ExperimentState;
  /** what was wrong and what was used instead; empty when everything given was used as given */
  notices: LinkNotice[];
}

/** One problem: the reason alone, and the value used instead. */
interface Finding {
  param: string;
  value: string;
  reason: string;
  using?: string;
}

interface Source {
  preset: string | null;
  layer: string | null;
  /** the catalog's layer, when the preset and layer are ones the catalog has */
  entry?: CatalogLayer;
}

export function resolveExperiment(given: Partial<ExperimentState>, options: ResolveOptions = {}): Resolved {
  const { state, findings } = resolve(given, options);
  return { state, notices: findings.map((f) => notice(f.param, f.value, f.using === undefined ? f.reason : `${f.reason}; using ${f.using}`)) };
}

/** The fields of one problem and its strategy, as the CLI or a snapshot point gives them. */
export interface ProblemFields {
  m: number;
  n: number;
  tokens: number;
  structure: StructureKind;
  blocks?: number;
  rank?: number;
  strategy?: Strategy;
  dtype: DType;
}

export type ExactProblem = { ok: true; problem: Problem; strategy: Strategy } | { ok: false; problems: { param: string; reason: string }[] };

/**
 * The problem exactly as given, or every reason it is not one: the resolver's rules with
 * nothing used instead. A strategy left out is the structure's default.
 */
export function exactProblem(fields: ProblemFields): ExactProblem {
  const { structure } = fields;
  const problems: { param: string; reason: string }[] = (['blocks', 'rank'] as const)
    .filter((key) => fields[key] === undefined && hasKnob(structure, key))
    .map((key) => ({ param: key, reason: `${structure} needs ${key}` }));
  const { state, findings } = resolve({ preset: null, ...fields }, {});
  for (const f of findings) {
    // A range refusal says "expected …": name the field. How knobs fail to fit is said below, of the knobs given.
    if (f.reason.startsWith('expected')) problems.push({ param: f.param, reason: `${f.param}: ${f.reason}` });
    else if (f.param !== 'blocks' && f.param !== 'rank') problems.push({ param: f.param, reason: f.reason });
  }
  if (problems.length === 0) {
    const issues = validateProblem({ shape: { m: fields.m, n: fields.n, tokens: fields.tokens }, structure: specFrom(structure, fields), dtype: fields.dtype });
    problems.push(...issues.map((issue) => ({ param: issue.field, reason: issue.message })));
  }
  if (problems.length > 0) return { ok: false, problems };
  const shape = { m: state.m, n: state.n, tokens: state.tokens };
  return { ok: true, problem: { shape, structure: specFrom(state.structure, state), dtype: state.dtype }, strategy: state.strategy };
}

type Found = (param: string, value: unknown, reason: string, using?: unknown) => void;

function resolve(given: Partial<ExperimentState>, options: ResolveOptions): { state: ExperimentState; findings: Finding[] } {
  const findings: Finding[] = [];
  const found: Found = (param, value, reason, using) =>
    findings.push({ param, value: String(value), reason, ...(using === undefined ? {} : { using: String(using) }) });
  /** A whole number in range, else the fallback (and a finding, when one was given). */
  const whole = (param: string, value: number | undefined, min: number, max: number, fallback: number): number => {
    if (value === undefined) return fallback;
    if (isWhole(value, min, max)) return value;
    found(param, value, `expected a whole number from ${min} to ${max}`, fallback);
    return fallback;
  };

  const source = resolveSource(given, options.catalog, found);
  const { entry } = source;
  const m = entry ? fixedSize('m', given.m, entry.m, source, found) : whole('m', given.m, 1, LIMITS.size, DEFAULT.m);
  const n = entry ? fixedSize('n', given.n, entry.n, source, found) : whole('n', given.n, 1, LIMITS.size, DEFAULT.n);
  const tokens = whole('tokens', given.tokens, 1, LIMITS.tokens, entry && entry.tokens <= LIMITS.tokens ? entry.tokens : DEFAULT.tokens);

  let structure = given.structure ?? DEFAULT.structure;
  if (!STRUCTURE_KINDS.includes(structure)) {
    found('structure', structure, `expected one of ${STRUCTURE_KINDS.join(', ')}`, DEFAULT.structure);
    structure = DEFAULT.structure;
  }
  const preferred = (entry && layerKnobs(entry, structure)) ?? defaultKnobs(structure, m, n);
  const { blocks, rank } = resolveKnobs(m, n, structure, given, preferred, found);

  const strategies = STRATEGIES[structure];
  let strategy: Strategy = given.strategy ?? DEFAULT_STRATEGY[structure];
  if (!strategies.includes(strategy)) {
    found('strategy', strategy, `${structure} has no ${strategy} strategy (it has ${strategies.join(', ')})`, DEFAULT_STRATEGY[structure]);
    strategy = DEFAULT_STRATEGY[structure];
  }

  let dtype: DType = given.dtype ?? DEFAULT.dtype;
  if (!DTYPES.includes(dtype)) {
    found('dtype', dtype, `expected one of ${DTYPES.join(', ')}`, DEFAULT.dtype);
    dtype = DEFAULT.dtype;
  } else if (dtype === 'f16' && options.caps && !options.caps.f16) {
    found('dtype', dtype, "this GPU adapter lacks the 'shader-f16' feature", 'f32');
    dtype = 'f32';
  }

  let path: PathChoice = given.path ?? DEFAULT.path;
  if (!PATH_CHOICES.includes(path)) {
    found('path', path, `expected one of ${PATH_CHOICES.join(', ')}`, DEFAULT.path);
    path = DEFAULT.path;
  } else if (path === 'matrix' && options.caps?.matrix && !options.caps.matrix.includes(dtype)) {
    found('path', path, `this GPU adapter has no matrix units for ${dtype} operands`, DEFAULT.path);
    path = DEFAULT.path;
  }

  const state: ExperimentState = {
    preset: source.preset,
    layer: source.layer,
    m,
    n,
    tokens,
    structure,
    blocks,
    rank,
    strategy,
    dtype,
    path,
    sweep: cleanSweep(given.sweep),
    views: given.views ? [...new Set(given.views.filter((v) => VIEW_IDS.includes(v)))] : [...DEFAULT.views],
    feeds: given.feeds ? [...new Set(given.feeds.filter((u) => checkFeedUrl(u) === null))].slice(0, LIMITS.linkFeeds) : [...DEFAULT.feeds],
    drawn: given.drawn
      ? [...new Set(given.drawn.filter((g) => GROUP_FORM.test(g) && g.length <= LIMITS.drawnGroupChars))].slice(0, LIMITS.drawnGroups)
      : DEFAULT.drawn,
    seed: whole('seed', given.seed, 0, LIMITS.seed, DEFAULT.seed),
  };
  return { state, findings };
}

/** The token counts of a sweep: whole, within LIMITS, each once; the default when none is left. */
function cleanSweep(sweep: readonly number[] | undefined): number[] {
  const kept = [...new Set((sweep ?? []).filter((t) => isWhole(t, 1, LIMITS.tokens)))].slice(0, LIMITS.sweepPoints);
  return kept.length ? kept : [...DEFAULT.sweep];
}

/**
 * Which preset and layer. No preset means the default one, unless m or n is given: then it is a
 * custom shape.
 */
function resolveSource(given: Partial<ExperimentState>, catalog: PresetCatalog | undefined, found: Found): Source {
  const explicitShape = given.m !== undefined || given.n !== undefined;
  let preset = given.preset;
  if (typeof preset === 'string' && catalog && !catalog.some((p) => p.id === preset)) {
    found('preset', preset, `unknown preset (known: ${catalog.map((p) => p.id).join(', ')})`, explicitShape ? 'a custom shape' : DEFAULT.preset);
    preset = undefined;
  }
  if (preset === undefined) preset = explicitShape ? null : DEFAULT.preset;
  if (preset === null) {
    if (typeof given.layer === 'string') found('layer', given.layer, `a custom shape (preset=${CUSTOM_PRESET}) has no layer; ignored`);
    return { preset: null, layer: null };
  }

  const presetEntry = catalog?.find((p) => p.id === preset);
  if (!presetEntry || presetEntry.layers.length === 0) {
    return { preset, layer: given.layer ?? (preset === DEFAULT.preset ? DEFAULT.layer : null) };
  }
  const first = presetEntry.layers[0];
  const named = typeof given.layer === 'string' ? presetEntry.layers.find((l) => l.id === given.layer) : undefined;
  if (typeof given.layer === 'string' && !named) {
    found('layer', given.layer, `${preset} has no such layer (it has ${presetEntry.layers.map((l) => l.id).join(', ')})`, first.id);
  }
  const entry = named ?? first;
  return { preset, layer: entry.id, entry };
}

/** A preset layer fixes m and n; a value that disagrees is told so and gets the layer's. */
function fixedSize(key: 'm' | 'n', given: number | undefined, fixed: number, source: Source, found: Found): number {
  if (given !== undefined && given !== fixed) {
    found(key, given, `${source.preset}/${source.layer} has ${key}=${fixed}; use preset=${CUSTOM_PRESET} for another shape`, fixed);
  }
  return fixed;
}

/** The paper's knobs for this layer and structure, where it has them (none for a structure without knobs). */
function layerKnobs(entry: CatalogLayer, kind: StructureKind): Knobs | null {
  const module = structureModule(kind);
  const given = module.presetKnobs(entry);
  return given && module.knobs.length ? { blocks: DEFAULT.blocks, rank: DEFAULT.rank, ...given } : null;
}

/**
 * Knobs that make a valid layer: the given ones where they fit, else the valid ones nearest
 * them; what was not given (or is out of LIMITS) comes from `preferred`, the layer's or the
 * shape's defaults, made to fit the same way. Knobs a structure ignores are kept as given.
 */
function resolveKnobs(m: number, n: number, structure: StructureKind, given: Partial<ExperimentState>, preferred: Knobs, found: Found): Knobs {
  const limit = { blocks: LIMITS.blocks, rank: LIMITS.rank };
  const knobs = { ...preferred };
  const refused: (keyof Knobs)[] = [];
  for (const key of ['blocks', 'rank'] as const) {
    const v = given[key];
    if (v === undefined) continue;
    if (isWhole(v, 1, limit[key])) knobs[key] = v;
    else refused.push(key);
  }
  const used = (key: keyof Knobs) => hasKnob(structure, key);
  if (used('blocks') && !blockChoices(m, n).includes(knobs.blocks)) {
    const problems = problemsOf(m, n, structure, knobs, 'blocks');
    const wanted = knobs.blocks;
    knobs.blocks = nearestBlocks(m, n, wanted);
    if (given.blocks !== undefined && !refused.includes('blocks')) found('blocks', wanted, problems, knobs.blocks);
  }
  if (used('rank')) {
    const problems = problemsOf(m, n, structure, knobs, 'rank');
    if (problems) {
      const wanted = knobs.rank;
      knobs.rank = nearestRank(structure, m, n, knobs.blocks, wanted);
      if (given.rank !== undefined && !refused.includes('rank')) found('rank', wanted, problems, knobs.rank);
    }
  }
  for (const key of refused) found(key, given[key], `expected a whole number from 1 to ${limit[key]}`, used(key) ? knobs[key] : preferred[key]);
  return knobs;
}

/** validateProblem's messages about one knob, joined; '' when it has none. */
function problemsOf(m: number, n: number, structure: StructureKind, knobs: Knobs, field: keyof Knobs): string {
  return validateProblem({ shape: { m, n, tokens: 1 }, structure: specFrom(structure, knobs), dtype: 'f32' })
    .filter((issue) => issue.field === field)
    .map((issue) => issue.message)
    .join('; ');
}
