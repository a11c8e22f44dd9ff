/** The experiment ⇄ a readable, versioned query string, driven by the PARAMS table. */
import { LIMITS } from '../limits';
import { notice, visibleValue, type LinkNotice } from './notices';
import { PARAMS, type Param } from './params';
import { resolveExperiment, type Capabilities, type PresetCatalog } from './resolve';
import { decodeSnapshot, RESULTS_KEY, type Snapshot } from './snapshot';
import type { ExperimentState } from './state';
import { LINK_VERSION, migrate, readVersion, VERSION_KEY } from './version';

export interface DecodedLink {
  state: ExperimentState;
  /** everything the link got wrong and what was used instead; empty for a clean link */
  notices: LinkNotice[];
  /** the shared results, when the link carries a readable `results` value */
  snapshot: Snapshot | null;
}

export interface DecodeOptions {
  /**
   * Known presets (pass the presets module's PRESETS). With them, unknown preset and layer ids
   * are reported and a preset layer supplies m, n, tokens and knobs a link leaves out; without
   * them, ids are only checked for form and the shape comes from the link or the defaults.
   */
  presets?: PresetCatalog;
  /** what the adapter runs, when known: an f16 link on an adapter without f16 is told so */
  caps?: Capabilities;
}

/**
 * `state` as a query string without the leading '?': `v` first, then every parameter in
 * PARAMS order, then `results` when given (a value from encodeSnapshot).
 */
export function encodeExperiment(state: ExperimentState, options: { results?: string } = {}): string {
  const parts = [`${VERSION_KEY}=${LINK_VERSION}`];
  for (const param of PARAMS) {
    for (const value of param.write(state)) parts.push(`${param.key}=${encodeValue(value)}`);
  }
  if (options.results !== undefined) parts.push(`${RESULTS_KEY}=${encodeValue(options.results)}`);
  return parts.join('&');
}

/** The experiment a link describes; never throws, whatever the link holds. */
export function decodeExperiment(search: string | URLSearchParams, options: DecodeOptions = {}): DecodedLink {
  const original = typeof search === 'string' ? new URLSearchParams(search) : search;
  const { version, notices } = readVersion(original);
  const migrated = migrate(original, version);
  notices.push(...migrated.notices);
  const params = migrated.params;

  // One pass over the query: a link may hold thousands of keys.
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  const byKey = new Map(PARAMS.map((param) => [param.key, param]));
  const unknown = [...values.keys()].filter((key) => key !== VERSION_KEY && key !== RESULTS_KEY && !byKey.has(key));
  if (unknown.length > LIMITS.unknownNamed) {
    const named = visibleValue(unknown.slice(0, LIMITS.unknownNamed));
    notices.push({ param: `${unknown.length} unknown parameters`, value: named, message: `ignored (the first ${LIMITS.unknownNamed} named)` });
  } else {
    for (const key of unknown) notices.push(notice(key, values.get(key)!, 'unknown parameter; ignored'));
  }

  const given: Partial<ExperimentState> = {};
  const refused: { param: Param; raw: string | readonly string[]; message: string }[] = [];
  for (const param of PARAMS) {
    const raws = values.get(param.key);
    if (raws) refused.push(...param.read(raws, given).map((r) => ({ param, ...r })));
  }
  const resolved = resolveExperiment(given, { catalog: options.presets, caps: options.caps });
  for (const { param, raw, message } of refused) {
    // A repeated parameter drops the bad item; a single one falls back to what resolve chose.
    const text = param.repeated ? message : `${message}; using ${describeValue(param, resolved.state)}`;
    notices.push(notice(param.key, raw, text));
  }
  notices.push(...resolved.notices);

  const { snapshot, notices: snapshotNotices } = readSnapshot(values.get(RESULTS_KEY) ?? []);
  return { state: resolved.state, notices: listed([...notices, ...snapshotNotices]), snapshot };
}

/** The first notices one by one and a count of the rest, so a link of thousands of problems reads in one screen. */
function listed(notices: LinkNotice[]): LinkNotice[] {
  if (notices.length <= LIMITS.noticesListed) return notices;
  const shown = notices.slice(0, LIMITS.noticesListed - 1);
  const rest = notices.length - shown.length;
  return [...shown, { param: `${rest} more problems`, value: '', message: `not listed (${notices.length} in all)` }];
}

function readSnapshot(raws: string[]): { snapshot: Snapshot | null; notices: LinkNotice[] } {
  if (raws.length === 0) return { snapshot: null, notices: [] };
  if (raws.length > 1) return { snapshot: null, notices: [notice(RESULTS_KEY, raws, `given ${raws.length} times; no results shown`)] };
  const result = decodeSnapshot(raws[0]);
  if (!result.ok) return { snapshot: null, notices: [notice(RESULTS_KEY, raws[0], `${result.error}; no results shown`)] };
  return { snapshot: result.snapshot, notices: result.notes.map((note) => notice(RESULTS_KEY, '', note)) };
}

function describeValue(param: Param, state: ExperimentState): string {
  const values = param.write(state);
  return values.length === 0 || values[0] === '' ? '(none)' : values.join(', ');
}

/** Percent-encoding that keeps ',' (the list separator) readable; URLSearchParams reads it back. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ',');
}
