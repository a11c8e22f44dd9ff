/**
 * "Share with results": measured points and the device they ran on, packed into the `results`
 * parameter so a link shows them without running anything.
 */
import * as v from 'valibot';
import { LIMITS } from '../limits';
import { DTYPES, type DType, type Strategy, type StructureKind } from '../structures/types';
import { STRATEGIES, structure, STRUCTURE_KINDS } from '../structures/kinds';
import { knobsIn } from '../structures/knobs';
import { clipText } from './notices';
import { packText, unpackText } from './packing';
import { exactProblem } from './resolve';

export const RESULTS_KEY = 'results';
export const MAX_SNAPSHOT_CHARS = LIMITS.snapshotChars;
const MAX_DEVICE_CHARS = LIMITS.snapshotDeviceChars;
const SNAPSHOT_VERSION = 1;
// Far above what 6000 characters of real points expand to; bounds a crafted value's memory.
const MAX_SNAPSHOT_JSON_BYTES = 256 * 1024;
const MAX_ERROR_CHARS = 200;

export interface SnapshotPoint {
  structure: StructureKind;
  /** b, for Monarch and BLAST */
  blocks?: number;
  /** r (low-rank, BLAST) or R (Monarch) */
  rank?: number;
  m: number;
  n: number;
  tokens: number;
  strategy: Strategy;
  dtype: DType;
  medianMs: number;
  relErr?: number;
}

export interface Snapshot {
  /** adapter description, plain text: show it as text only */
  device: string;
  points: SnapshotPoint[];
}

/** A readable snapshot, with what was dropped from it (points given twice); or why none could be read. */
export type SnapshotResult = { ok: true; snapshot: Snapshot; notes: string[] } | { ok: false; error: string };

export class SnapshotTooLargeError extends Error {
  /** `chars` null: refused for the point count alone, before packing */
  constructor(
    readonly points: number,
    readonly chars: number | null,
  ) {
    super(
      chars === null
        ? `snapshot too large: ${points} points, over the ${LIMITS.snapshotPoints}-point cap; share fewer points`
        : `snapshot too large: ${points} points make ${chars} characters, over the ${MAX_SNAPSHOT_CHARS}-character cap; share fewer points`,
    );
    this.name = 'SnapshotTooLargeError';
  }
}

// Each count's exact limit (and the rules between them) is the resolver's, checked point by point.
const size = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Math.max(LIMITS.size, LIMITS.tokens, LIMITS.rank)));
const latency = v.pipe(
  v.number(),
  v.finite(),
  v.minValue(LIMITS.latencyMs.min, `a latency is at least ${LIMITS.latencyMs.min} ms`),
  v.maxValue(LIMITS.latencyMs.max, `a latency is at most ${LIMITS.latencyMs.max} ms`),
);
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const common = {
  m: size,
  n: size,
  tokens: size,
  dtype: v.picklist(DTYPES),
  medianMs: latency,
  relErr: v.optional(nonNegative),
};

/** A point of each structure: its strategies and exactly its knobs. */
const PointSchema = v.variant(
  'structure',
  STRUCTURE_KINDS.map((kind) =>
    v.strictObject({
      structure: v.literal(kind),
      strategy: v.picklist(STRATEGIES[kind]),
      ...Object.fromEntries(structure(kind).knobs.map((knob) => [knob, size])),
      ...common,
    }),
  ),
) as unknown as v.GenericSchema<unknown, SnapshotPoint>;

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

const SnapshotSchema = v.strictObject({
  v: v.literal(SNAPSHOT_VERSION, `unsupported snapshot version (this playground reads ${SNAPSHOT_VERSION})`),
  device: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(MAX_DEVICE_CHARS),
    v.check((s) => !CONTROL_CHARS.test(s), 'device must be plain text'),
  ),
  points: v.pipe(v.array(PointSchema), v.maxLength(LIMITS.snapshotPoints, `at most ${LIMITS.snapshotPoints} points`)),
});

/**
 * The `results` value for these points. Timings keep 4 significant digits and errors 2 (more
 * is noise, and fewer digits compress far better). Throws SnapshotTooLargeError over the cap
 * and an Error for a point that could not be shared back (bad shape, NaN timing).
 */
export function encodeSnapshot(points: SnapshotPoint[], device: string): string {
  if (points.length > LIMITS.snapshotPoints) throw new SnapshotTooLargeError(points.length, null);
  const snapshot = { v: SNAPSHOT_VERSION, device: plainDevice(device), points: points.map(canonicalPoint) };
  const checked = parseSnapshot(snapshot);
  if (!checked.ok) throw new Error(`cannot share these results: ${checked.error}`);
  const value = packText(JSON.stringify(snapshot));
  if (value.length > MAX_SNAPSHOT_CHARS) throw new SnapshotTooLargeError(points.length, value.length);
  return value;
}

/** The snapshot in a `results` value; never throws. */
export function decodeSnapshot(value: string): SnapshotResult {
  if (value.length > MAX_SNAPSHOT_CHARS) {
    return { ok: false, error: `snapshot too large: ${value.length} characters, over the ${MAX_SNAPSHOT_CHARS}-character cap` };
  }
  let json: unknown;
  try {
    json = JSON.parse(unpackText(value, MAX_SNAPSHOT_JSON_BYTES));
  } catch (e) {
    return { ok: false, error: `snapshot unreadable: ${e instanceof SyntaxError ? 'not JSON' : (e as Error).message}` };
  }
  const checked = parseSnapshot(json);
  return checked.ok ? checked : { ok: false, error: `snapshot invalid: ${checked.error}` };
}

/** Only the knobs the structure has, in a fixed key order, with rounded figures. */
function canonicalPoint(p: SnapshotPoint): SnapshotPoint {
  return {
    structure: p.structure,
    ...knobsIn(p.structure, p),
    m: p.m,
    n: p.n,
    tokens: p.tokens,
    strategy: p.strategy,
    dtype: p.dtype,
    medianMs: roundTo(p.medianMs, 4),
    ...(p.relErr === undefined ? {} : { relErr: roundTo(p.relErr, 2) }),
  };
}

function roundTo(x: number, digits: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : x;
}

function plainDevice(device: string): string {
  const text = device.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim().slice(0, MAX_DEVICE_CHARS);
  // Do not leave half of a surrogate pair where the slice cut.
  return text.replace(/[\ud800-\udbff]$/, '') || 'unknown device';
}


/**
 * Schema first, then each point as the experiment resolver sees it; a point given twice (the
 * same kernel, shape, dtype and tokens) keeps its first timing, and the drop is noted.
 */
function parseSnapshot(data: unknown): SnapshotResult {
  const parsed = v.safeParse(SnapshotSchema, data);
  if (!parsed.success) return { ok: false, error: describeIssue(parsed.issues[0]) };
  const { device } = parsed.output;
  const points: SnapshotPoint[] = [];
  const seen = new Set<string>();
  for (const [i, p] of parsed.output.points.entries()) {
    const exact = exactProblem(p);
    if (!exact.ok) return { ok: false, error: clipText(`point ${i + 1}: ${exact.problems.map((problem) => problem.reason).join('; ')}`, MAX_ERROR_CHARS) };
    const key = JSON.stringify([exact.problem, p.strategy]);
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(p);
  }
  const dropped = parsed.output.points.length - points.length;
  const notes = dropped ? [`${dropped} point${dropped === 1 ? '' : 's'} given twice; the first timing of each is shown`] : [];
  return { ok: true, snapshot: { device, points }, notes };
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  return clipText(path ? `${path}: ${issue.message}` : issue.message, MAX_ERROR_CHARS);
}
