/**
 * The link's parameters: one row per query key, in the order links write them. Each row checks
 * its own values; rules that span fields (shape against preset, knobs against shape, strategy
 * against structure) live in resolve.ts.
 */
import { LIMITS } from '../limits';
import { DTYPES } from '../structures/types';
import { STRATEGY_NAMES, STRUCTURE_KINDS } from '../structures/kinds';
import { PATH_CHOICES, VIEW_IDS, type ExperimentState } from './state';

const { sweepPoints: MAX_SWEEP_POINTS, linkFeeds: MAX_FEEDS, feedUrlChars: MAX_FEED_URL_CHARS, drawnGroups: MAX_DRAWN, drawnGroupChars: MAX_GROUP_CHARS } = LIMITS;
/** The `preset` value of a custom shape (ExperimentState.preset null). */
export const CUSTOM_PRESET = 'custom';
/** A feed group as `draw=` names it: device|implementation|dtype, without markup characters. */
export const GROUP_FORM = /^[^|<>]+\|[^|<>]+\|[^|<>]+$/;

export type ParamType = 'int' | 'int-list' | 'enum' | 'enum-list' | 'id' | 'url' | 'text';

/** A value the row refused, and why (the codec adds what it used instead). */
export interface Rejection {
  /** the value, or several (a key given more than once, or the items past a list's limit) */
  raw: string | readonly string[];
  message: string;
}

export interface Param {
  key: string;
  field: keyof ExperimentState;
  type: ParamType;
  /** What a valid value looks like, in words. */
  allowed: string;
  /** true: the key appears once per list item (feeds); false: at most once. */
  repeated: boolean;
  /** Reads every occurrence of the key into `into`; one rejection per refused value. */
  read(raws: readonly string[], into: Partial<ExperimentState>): Rejection[];
  /** The key's values for `state`, in order; none when the field has nothing to say. */
  write(state: ExperimentState): string[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const fail = (message: string): Parsed<never> => ({ ok: false, message });

type FieldOfType<T> = { [K in keyof ExperimentState]: ExperimentState[K] extends T ? K : never }[keyof ExperimentState];

/** A key that appears at most once; a repeated one is ambiguous, so it is refused whole. */
function single<T>(
  base: Pick<Param, 'key' | 'field' | 'type' | 'allowed'>,
  parse: (raw: string) => Parsed<T>,
  set: (into: Partial<ExperimentState>, value: T) => void,
  format: (state: ExperimentState) => string | null,
): Param {
  return {
    ...base,
    repeated: false,
    read(raws, into) {
      if (raws.length > 1) return [{ raw: raws, message: `given ${raws.length} times; a link may give it once` }];
      const parsed = parse(raws[0]);
      if (!parsed.ok) return [{ raw: raws[0], message: parsed.message }];
      set(into, parsed.value);
      return [];
    },
    write(state) {
      const text = format(state);
      return text === null ? [] : [text];
    },
  };
}

const DIGITS = /^[0-9]{1,10}$/;

function parseWhole(raw: string, min: number, max: number): Parsed<number> {
  const value = Number(raw);
  if (!DIGITS.test(raw) || value < min || value > max) {
    // "tokens=+5" reads as " 5": a link's '+' is a space.
    const spaced = raw !== raw.trim() ? " (without spaces; a '+' in a link reads as a space)" : '';
    return fail(`expected a whole number from ${min} to ${max}${spaced}`);
  }
  return { ok: true, value };
}

function parseList<T>(raw: string, minItems: number, maxItems: number, what: string, parseItem: (item: string) => Parsed<T>): Parsed<T[]> {
  const items = raw === '' ? [] : raw.split(',');
  if (items.length < minItems || items.length > maxItems) return fail(`expected ${minItems} to ${maxItems} ${what}, got ${items.length}`);
  const values: T[] = [];
  for (const item of items) {
    const parsed = parseItem(item);
    if (!parsed.ok) return parsed;
    if (values.includes(parsed.value)) return fail(`${what} must not repeat`);
    values.push(parsed.value);
  }
  return { ok: true, value: values };
}

function pick<T extends string>(raw: string, values: readonly T[]): Parsed<T> {
  const value = values.find((v) => v === raw);
  return value === undefined ? fail(`expected one of ${values.join(', ')}`) : { ok: true, value };
}

function intParam(key: string, field: FieldOfType<number>, min: number, max: number): Param {
  return single(
    { key, field, type: 'int', allowed: `whole number ${min}–${max}` },
    (raw) => parseWhole(raw, min, max),
    (into, value) => (into[field] = value),
    (state) => String(state[field]),
  );
}

type EnumField = 'structure' | 'strategy' | 'dtype' | 'path';

function enumParam<F extends EnumField>(key: string, field: F, values: readonly ExperimentState[F][]): Param {
  return single(
    { key, field, type: 'enum', allowed: values.join(', ') },
    (raw) => pick(raw, values),
    (into, value) => (into[field] = value),
    (state) => state[field],
  );
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A preset or layer id; `nullWord` stands for null (a custom shape). */
function idParam(key: string, field: 'preset' | 'layer', nullWord?: string): Param {
  const allowed = `id of letters, digits, '.', '_', '-' (at most 64)${nullWord ? `, or ${nullWord}` : ''}`;
  return single(
    { key, field, type: 'id', allowed },
    (raw): Parsed<string | null> => {
      if (nullWord !== undefined && raw === nullWord) return { ok: true, value: null };
      return ID.test(raw) ? { ok: true, value: raw } : fail(`expected an ${allowed}`);
    },
    (into, value) => (into[field] = value),
    (state) => state[field] ?? nullWord ?? null,
  );
}

// The page's Content-Security-Policy (index.html, connect-src) lets it fetch these two; CSP
// cannot name an IPv6 literal, so http://[::1] is refused here rather than blocked silently.
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'];

/** Feeds are fetched, so only https, or http on this machine, and never credentials. */
export function checkFeedUrl(raw: string): string | null {
  if (raw.length > MAX_FEED_URL_CHARS) return `a feed URL has at most ${MAX_FEED_URL_CHARS} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const local = url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol === 'http:' && url.hostname === '[::1]') return 'http://[::1] cannot be fetched here: use http://localhost or http://127.0.0.1';
  if (url.protocol !== 'https:' && !local) return 'a feed URL must be https:// (or http://localhost)';
  if (url.username || url.password) return 'a feed URL must not carry a user name or password';
  return null;
}

/** One rejection for every value of a repeated key past its limit. */
function pastLimit(rest: readonly string[], what: string): Rejection {
  return { raw: rest, message: `${rest.length} more ${what}; not used` };
}

/** Feed URLs, one `feed=` per URL (URLs may hold commas); a bad one is skipped, not the rest. */
const feedParam: Param = {
  key: 'feed',
  field: 'feeds',
  type: 'url',
  allowed: `https:// or http://localhost URL, repeated once per feed (at most ${MAX_FEEDS})`,
  repeated: true,
  read(raws, into) {
    const feeds: string[] = [];
    const rejections: Rejection[] = [];
    for (const [i, raw] of raws.entries()) {
      if (feeds.length === MAX_FEEDS) {
        rejections.push(pastLimit(raws.slice(i), `feeds; a link loads at most ${MAX_FEEDS}`));
        break;
      }
      const problem = checkFeedUrl(raw);
      if (problem === null) feeds.push(raw);
      else rejections.push({ raw, message: `${problem}; this feed is not loaded` });
    }
    into.feeds = feeds;
    return rejections;
  },
  write: (state) => state.feeds,
};

/**
 * The feed groups the charts draw, one `draw=` per group (a feed's device ids may hold commas);
 * a single empty `draw=` draws none; no `draw` at all leaves the choice to the page.
 */
const drawnParam: Param = {
  key: 'draw',
  field: 'drawn',
  type: 'text',
  allowed: `a feed group device|implementation|dtype, repeated once per group (at most ${MAX_DRAWN}); one empty value for none`,
  repeated: true,
  read(raws, into) {
    const drawn: string[] = [];
    const rejections: Rejection[] = [];
    for (const [i, raw] of raws.entries()) {
      if (raw === '' && raws.length === 1) break;
      if (drawn.length === MAX_DRAWN) {
        rejections.push(pastLimit(raws.slice(i), `groups; a link draws at most ${MAX_DRAWN}`));
        break;
      }
      const problem =
        !GROUP_FORM.test(raw) || raw.length > MAX_GROUP_CHARS
            ? `expected device|implementation|dtype of at most ${MAX_GROUP_CHARS} characters, without < or >`
            : drawn.includes(raw)
              ? 'given twice'
              : null;
      if (problem === null) drawn.push(raw);
      else rejections.push({ raw, message: `${problem}; not drawn` });
    }
    into.drawn = drawn;
    return rejections;
  },
  write: (state) => (state.drawn === null ? [] : state.drawn.length ? state.drawn : ['']),
};

export const PARAMS: readonly Param[] = [
  idParam('preset', 'preset', CUSTOM_PRESET),
  idParam('layer', 'layer'),
  intParam('m', 'm', 1, LIMITS.size),
  intParam('n', 'n', 1, LIMITS.size),
  intParam('tokens', 'tokens', 1, LIMITS.tokens),
  enumParam('structure', 'structure', STRUCTURE_KINDS),
  intParam('blocks', 'blocks', 1, LIMITS.blocks),
  intParam('rank', 'rank', 1, LIMITS.rank),
  enumParam('strategy', 'strategy', STRATEGY_NAMES),
  enumParam('dtype', 'dtype', DTYPES),
  enumParam('path', 'path', PATH_CHOICES),
  single(
    { key: 'sweep', field: 'sweep', type: 'int-list', allowed: `1–${MAX_SWEEP_POINTS} distinct token counts 1–${LIMITS.tokens}, comma-separated` },
    (raw) => parseList(raw, 1, MAX_SWEEP_POINTS, 'token counts', (item) => parseWhole(item, 1, LIMITS.tokens)),
    (into, value) => (into.sweep = value),
    (state) => state.sweep.join(','),
  ),
  single(
    { key: 'views', field: 'views', type: 'enum-list', allowed: `distinct views of ${VIEW_IDS.join(', ')}, comma-separated; empty for none` },
    (raw) => parseList(raw, 0, VIEW_IDS.length, 'views', (item) => pick(item, VIEW_IDS)),
    (into, value) => (into.views = value),
    (state) => state.views.join(','),
  ),
  intParam('seed', 'seed', 0, LIMITS.seed),
  feedParam,
  drawnParam,
];
