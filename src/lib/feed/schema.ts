/**
 * The results feed, `blr-feed/1` (docs/feed.md): devices and timed results, with where each
 * figure came from. Every message names what a value must be; the path is added by parseFeed.
 */
import * as v from 'valibot';
import { LIMITS } from '../limits';
import { STRATEGIES, structure, STRUCTURE_KINDS } from '../structures/kinds';
import type { StructureSpec } from '../structures/types';
import { KERNEL_PATHS } from '../gpu/types';

export const FEED_SCHEMA_VERSION = 'blr-feed/1';

export const DEVICE_KINDS = ['datacenter-gpu', 'edge-gpu', 'desktop-gpu', 'laptop-gpu', 'integrated-gpu', 'cpu', 'unknown'] as const;
/** Our kernel strategies, plus `native` for a kernel with no WGSL counterpart (cuBLAS, torch.compile, …). */
export const FEED_STRATEGIES = ['tiled', 'unfused', 'partial', 'fused', 'perm-fused', 'native'] as const;
export const IMPLEMENTATIONS = ['wgsl-dawn', 'wgsl-browser', 'torch-eager', 'torch-compile', 'triton-paper', 'cost-model', 'cublas'] as const;
export const FEED_DTYPES = ['f32', 'f16', 'bf16'] as const;
export const PROVENANCE_KINDS = ['paper-table', 'paper-cost-model', 'blr-bench', 'pytorch', 'other'] as const;

const MAX_TEXT = LIMITS.feedText;

type Issue = v.BaseIssue<unknown>;

const mustBe = (what: string) => (issue: Issue) => `must be ${what} (got ${issue.received})`;

const oneOf = (options: readonly string[]) => mustBe(`one of ${options.join(', ')}`);

/** The issues of an object's keys: unknown (expected never) or missing. */
function objectMessage(issue: Issue): string {
  return issue.expected === 'never' ? `is not a field of ${FEED_SCHEMA_VERSION}` : 'is missing';
}

const strictObject = <E extends v.ObjectEntries>(entries: E) => v.strictObject(entries, objectMessage);

const isPlainObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);

/** valibot's objects accept arrays; a list where an object belongs is refused first. */
const object = <E extends v.ObjectEntries>(entries: E) => v.pipe(v.custom<object>(isPlainObject, mustBe('an object')), strictObject(entries));

/** Feed strings are shown as text; anything that looks like markup is refused outright. */
const text = v.pipe(
  v.string(mustBe('text')),
  v.maxLength(MAX_TEXT, `must be at most ${MAX_TEXT} characters`),
  v.check((s) => !/[<>]/.test(s), 'must not contain < or > (feed strings are text, never HTML)'),
);

const id = v.pipe(text, v.nonEmpty('must not be empty'));

/** 0, 1e-6, 1e7: a bound as a person writes it. */
const short = (x: number) => (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6) ? String(x) : x.toExponential().replace('e+', 'e'));

/** A number from 0 (or above `min`) to `max`: every figure has a physical bound (LIMITS), so what the page computes from it stays finite. */
const figure = (max: number, min = 0) => {
  const what = `a number from ${short(min)} to ${short(max)}`;
  return v.pipe(
    v.number(mustBe(what)),
    v.check((x) => Number.isFinite(x) && x >= min && x <= max, (issue) => `must be ${what} (got ${String(issue.input)})`),
  );
};

const latencyMs = figure(LIMITS.latencyMs.max, LIMITS.latencyMs.min);
const bandwidth = figure(LIMITS.bandwidthGBs);
const flopRate = figure(LIMITS.flopsPerS);
const gflopRate = figure(LIMITS.flopsPerS / 1e9);
const work = figure(LIMITS.work);

/** A whole number from 1 to `max` (LIMITS). */
const count = (max: number) => {
  const what = `a whole number from 1 to ${short(max)}`;
  return v.pipe(
    v.number(mustBe(what)),
    v.check((x) => Number.isInteger(x) && x >= 1 && x <= max, (issue) => `must be ${what} (got ${String(issue.input)})`),
  );
};

/** A list of at most `max` items. */
const list = <T extends v.GenericSchema>(item: T, what: string, max: number) =>
  v.pipe(v.array(item, mustBe(what)), v.maxLength(max, `must have at most ${max} items`));

export const FeedDeviceSchema = object({
  id,
  name: id,
  kind: v.picklist(DEVICE_KINDS, oneOf(DEVICE_KINDS)),
  /** GiB (2^30 bytes) */
  memoryGiB: v.optional(figure(LIMITS.memoryGiB)),
  /** GiB/s (2^30 B/s), as the paper's device.py */
  peakBandwidthGiBs: v.optional(bandwidth),
  /** FLOP/s per dtype */
  peakFlops: v.optional(object({ f32: v.optional(flopRate), f16: v.optional(flopRate), bf16: v.optional(flopRate) })),
  /** ceilings measured on the device: GB/s (1e9 B/s) and GFLOP/s */
  measured: v.optional(object({ bandwidthGBs: v.optional(bandwidth), f32GFlops: v.optional(gflopRate), f16GFlops: v.optional(gflopRate) })),
  adapter: v.optional(object({ vendor: v.optional(text), architecture: v.optional(text), description: v.optional(text) })),
});

/** A structure and exactly its knobs, each within LIMITS. */
const StructureSchema = v.variant(
  'kind',
  STRUCTURE_KINDS.map((kind) => strictObject({ kind: v.literal(kind), ...Object.fromEntries(structure(kind).knobs.map((knob) => [knob, count(LIMITS[knob])])) })),
  oneOf(STRUCTURE_KINDS),
) as unknown as v.GenericSchema<unknown, StructureSpec>;

export const FeedResultSchema = v.pipe(
  object({
    /** a devices[].id of the same feed */
    device: id,
    /** a preset id (src/lib/presets) and one of its layer ids, when the shape is a preset's */
    preset: v.optional(id),
    layer: v.optional(id),
    shape: object({ m: count(LIMITS.size), n: count(LIMITS.size), tokens: count(LIMITS.tokens) }),
    structure: StructureSchema,
    strategy: v.picklist(FEED_STRATEGIES, oneOf(FEED_STRATEGIES)),
    implementation: v.picklist(IMPLEMENTATIONS, oneOf(IMPLEMENTATIONS)),
    /**
     * the units a WGSL result's products ran on: fma, the adapter's matrix units, or the
     * matrix-unit kernels emulated (absent: fma, as every result before matrix units)
     */
    path: v.optional(v.picklist(KERNEL_PATHS, oneOf(KERNEL_PATHS))),
    dtype: v.picklist(FEED_DTYPES, oneOf(FEED_DTYPES)),
    /**
     * milliseconds per forward pass of the layer; `samples` timed, each of `runsPerSample` runs
     * back to back on a timer of `timerResolutionMs` steps (both absent from older feeds)
     */
    latency: object({
      medianMs: latencyMs,
      p10Ms: v.optional(latencyMs),
      p90Ms: v.optional(latencyMs),
      samples: v.optional(count(LIMITS.samples)),
      runsPerSample: v.optional(count(LIMITS.samples)),
      timerResolutionMs: v.optional(latencyMs),
    }),
    /** each kernel dispatch of the pass timed alone (`blr bench --steps`), in order */
    steps: v.optional(list(object({ name: id, medianMs: latencyMs, runsPerSample: v.optional(count(LIMITS.samples)) }), 'a list of steps', LIMITS.feedListItems)),
    /** bytes moved and FLOPs of the pass, from the cost model */
    bytes: v.optional(work),
    flops: v.optional(work),
    /** GB/s (1e9 B/s) and GFLOP/s */
    achievedGBs: v.optional(bandwidth),
    achievedGFlops: v.optional(gflopRate),
    provenance: object({ kind: v.picklist(PROVENANCE_KINDS, oneOf(PROVENANCE_KINDS)), source: id, command: v.optional(text) }),
  }),
  v.forward(
    v.check(
      (r) => r.strategy === 'native' || STRATEGIES[r.structure.kind].includes(r.strategy),
      (issue) => `must be native or a ${issue.input.structure.kind} strategy: ${STRATEGIES[issue.input.structure.kind].join(', ')} (got "${issue.input.strategy}")`,
    ),
    ['strategy'],
  ),
);

const GENERATED_FORM = 'an ISO-8601 date and time with a full time-zone offset, e.g. 2026-01-17T10:00:00Z or 2026-01-17T10:00:00+05:00';

export const FeedDocumentSchema = object({
  schema: v.literal(FEED_SCHEMA_VERSION, (issue) => `must be "${FEED_SCHEMA_VERSION}", the only version this app reads (got ${issue.received})`),
  /** ISO-8601 date and time, as Date.parse reads it (so the page can always format it) */
  generated: v.pipe(
    v.string(mustBe('text')),
    v.isoTimestamp(mustBe(GENERATED_FORM)),
    v.check((s) => Number.isFinite(Date.parse(s)), mustBe(GENERATED_FORM)),
  ),
  generator: id,
  title: v.optional(text),
  notes: v.optional(list(text, 'a list of text', LIMITS.feedListItems)),
  devices: list(FeedDeviceSchema, 'a list of devices', LIMITS.feedDevices),
  results: list(FeedResultSchema, 'a list of results', LIMITS.feedResults),
});

export type FeedDocument = v.InferOutput<typeof FeedDocumentSchema>;
export type FeedDevice = v.InferOutput<typeof FeedDeviceSchema>;
export type FeedResult = v.InferOutput<typeof FeedResultSchema>;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type FeedStrategy = (typeof FEED_STRATEGIES)[number];
export type Implementation = (typeof IMPLEMENTATIONS)[number];
export type FeedDType = (typeof FEED_DTYPES)[number];
export type ProvenanceKind = (typeof PROVENANCE_KINDS)[number];
