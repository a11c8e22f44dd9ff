/**
 * The results feed, `blr-feed/1` (docs/feed.md): devices and timed results, with where each
 * figure came from. Every message names what a value must be; the path is added by parseFeed.
 */
import * as v from 'valibot';
import { STRATEGIES, STRUCTURE_KINDS } from '../structures/types';
import { KERNEL_PATHS } from '../gpu/types';

export const FEED_SCHEMA_VERSION = 'blr-feed/1';

export const DEVICE_KINDS = ['datacenter-gpu', 'edge-gpu', 'desktop-gpu', 'laptop-gpu', 'integrated-gpu', 'cpu', 'unknown'] as const;
/** Our kernel strategies, plus `native` for a kernel with no WGSL counterpart (cuBLAS, torch.compile, …). */
export const FEED_STRATEGIES = ['tiled', 'unfused', 'partial', 'fused', 'perm-fused', 'native'] as const;
export const IMPLEMENTATIONS = ['wgsl-dawn', 'wgsl-browser', 'torch-eager', 'torch-compile', 'triton-paper', 'cost-model', 'cublas'] as const;
export const FEED_DTYPES = ['f32', 'f16', 'bf16'] as const;
export const PROVENANCE_KINDS = ['paper-table', 'paper-cost-model', 'blr-bench', 'pytorch', 'other'] as const;

const MAX_TEXT = 2000;

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

const positiveNumber = v.pipe(v.number(mustBe('a positive number')), v.finite(mustBe('a positive number')), v.gtValue(0, mustBe('a positive number')));

const nonNegativeNumber = v.pipe(v.number(mustBe('a non-negative number')), v.finite(mustBe('a non-negative number')), v.minValue(0, mustBe('a non-negative number')));

const count = v.pipe(v.number(mustBe('a whole number ≥ 1')), v.integer(mustBe('a whole number ≥ 1')), v.minValue(1, mustBe('a whole number ≥ 1')));

export const FeedDeviceSchema = object({
  id,
  name: id,
  kind: v.picklist(DEVICE_KINDS, oneOf(DEVICE_KINDS)),
  /** GiB (2^30 bytes) */
  memoryGiB: v.optional(nonNegativeNumber),
  /** GiB/s (2^30 B/s), as the paper's device.py */
  peakBandwidthGiBs: v.optional(nonNegativeNumber),
  /** FLOP/s per dtype */
  peakFlops: v.optional(object({ f32: v.optional(nonNegativeNumber), f16: v.optional(nonNegativeNumber), bf16: v.optional(nonNegativeNumber) })),
  /** ceilings measured on the device: GB/s (1e9 B/s) and GFLOP/s */
  measured: v.optional(object({ bandwidthGBs: v.optional(nonNegativeNumber), f32GFlops: v.optional(nonNegativeNumber), f16GFlops: v.optional(nonNegativeNumber) })),
  adapter: v.optional(object({ vendor: v.optional(text), architecture: v.optional(text), description: v.optional(text) })),
});

const StructureSchema = v.variant(
  'kind',
  [
    strictObject({ kind: v.literal('dense') }),
    strictObject({ kind: v.literal('lowrank'), rank: count }),
    strictObject({ kind: v.literal('monarch'), blocks: count, rank: count }),
    strictObject({ kind: v.literal('blast'), blocks: count, rank: count }),
  ],
  oneOf(STRUCTURE_KINDS),
);

export const FeedResultSchema = v.pipe(
  object({
    /** a devices[].id of the same feed */
    device: id,
    /** a preset id (src/lib/presets) and one of its layer ids, when the shape is a preset's */
    preset: v.optional(id),
    layer: v.optional(id),
    shape: object({ m: count, n: count, tokens: count }),
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
      medianMs: positiveNumber,
      p10Ms: v.optional(positiveNumber),
      p90Ms: v.optional(positiveNumber),
      samples: v.optional(count),
      runsPerSample: v.optional(count),
      timerResolutionMs: v.optional(positiveNumber),
    }),
    /** each kernel dispatch of the pass timed alone (`blr bench --steps`), in order */
    steps: v.optional(v.array(object({ name: id, medianMs: positiveNumber, runsPerSample: v.optional(count) }), mustBe('a list of steps'))),
    /** bytes moved and FLOPs of the pass, from the cost model */
    bytes: v.optional(nonNegativeNumber),
    flops: v.optional(nonNegativeNumber),
    /** GB/s (1e9 B/s) and GFLOP/s */
    achievedGBs: v.optional(nonNegativeNumber),
    achievedGFlops: v.optional(nonNegativeNumber),
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

export const FeedDocumentSchema = object({
  schema: v.literal(FEED_SCHEMA_VERSION, (issue) => `must be "${FEED_SCHEMA_VERSION}", the only version this app reads (got ${issue.received})`),
  /** ISO-8601 date and time */
  generated: v.pipe(v.string(mustBe('text')), v.isoTimestamp(mustBe('an ISO-8601 date and time, e.g. 2026-01-17T10:00:00Z'))),
  generator: id,
  title: v.optional(text),
  notes: v.optional(v.array(text, mustBe('a list of text'))),
  devices: v.array(FeedDeviceSchema, mustBe('a list of devices')),
  results: v.array(FeedResultSchema, mustBe('a list of results')),
});

export type FeedDocument = v.InferOutput<typeof FeedDocumentSchema>;
export type FeedDevice = v.InferOutput<typeof FeedDeviceSchema>;
export type FeedResult = v.InferOutput<typeof FeedResultSchema>;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type FeedStrategy = (typeof FEED_STRATEGIES)[number];
export type Implementation = (typeof IMPLEMENTATIONS)[number];
export type FeedDType = (typeof FEED_DTYPES)[number];
export type ProvenanceKind = (typeof PROVENANCE_KINDS)[number];
