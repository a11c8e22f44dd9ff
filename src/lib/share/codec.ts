/** The experiment ⇄ a readable, versioned query string, driven by the PARAMS table. */
import { notice, type LinkNotice } from './notices';
import { PARAMS, type Param } from './params';
import { resolveExperiment, type PresetCatalog } from './resolve';
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

  const byKey = new Map(PARAMS.map((param) => [param.key, param]));
  for (const key of new Set(params.keys())) {
    if (key !== VERSION_KEY && key !== RESULTS_KEY && !byKey.has(key)) {
      notices.push(notice(key, params.getAll(key).join(' | '), 'unknown parameter; ignored'));
    }
  }

  const given: Partial<ExperimentState> = {};
  const refused: { param: Param; raw: string; message: string }[] = [];
  for (const param of PARAMS) {
    const raws = params.getAll(param.key);
    if (raws.length > 0) refused.push(...param.read(raws, given).map((r) => ({ param, ...r })));
  }
  const resolved = resolveExperiment(given, options.presets);
  for (const { param, raw, message } of refused) {
    // A repeated parameter drops the bad item; a single one falls back to what resolve chose.
    const text = param.repeated ? message : `${message}; using ${describeValue(param, resolved.state)}`;
    notices.push(notice(param.key, raw, text));
  }
  notices.push(...resolved.notices);

  const { snapshot, notices: snapshotNotices } = readSnapshot(params);
  return { state: resolved.state, notices: [...notices, ...snapshotNotices], snapshot };
}

function readSnapshot(params: URLSearchParams): { snapshot: Snapshot | null; notices: LinkNotice[] } {
  const raws = params.getAll(RESULTS_KEY);
  if (raws.length === 0) return { snapshot: null, notices: [] };
  if (raws.length > 1) return { snapshot: null, notices: [notice(RESULTS_KEY, raws.join(' | '), `given ${raws.length} times; no results shown`)] };
  const result = decodeSnapshot(raws[0]);
  if (result.ok) return { snapshot: result.snapshot, notices: [] };
  return { snapshot: null, notices: [notice(RESULTS_KEY, raws[0], `${result.error}; no results shown`)] };
}

function describeValue(param: Param, state: ExperimentState): string {
  const values = param.write(state);
  return values.length === 0 || values[0] === '' ? '(none)' : values.join(', ');
}

/** Percent-encoding that keeps ',' (the list separator) readable; URLSearchParams reads it back. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/g, ',');
}
