/**
 * "Share with results": measured points and the device they ran on, packed into the `results`
 * parameter so a link shows them without running anything.
 */
import * as v from 'valibot';
import { DTYPES, STRATEGIES, type DType, type Strategy, type StructureKind, type StructureSpec } from '../structures/types';
import { validateProblem } from '../structures/validate';
import { clipText } from './notices';
import { packText, unpackText } from './packing';
import { MAX_SIZE } from './params';

export const RESULTS_KEY = 'results';
export const MAX_SNAPSHOT_CHARS = 6000;
const MAX_DEVICE_CHARS = 120;
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

export type SnapshotResult = { ok: true; snapshot: Snapshot } | { ok: false; error: string };

export class SnapshotTooLargeError extends Error {
  constructor(
    readonly points: number,
    readonly chars: number,
  ) {
    super(`snapshot too large: ${points} points make ${chars} characters, over the ${MAX_SNAPSHOT_CHARS}-character cap; share fewer points`);
    this.name = 'SnapshotTooLargeError';
  }
}

const size = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SIZE));
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const common = {
  m: size,
  n: size,
  tokens: size,
  dtype: v.picklist(DTYPES),
  medianMs: nonNegative,
  relErr: v.optional(nonNegative),
};

const PointSchema = v.variant('structure', [
  v.strictObject({ structure: v.literal('dense'), strategy: v.picklist(STRATEGIES.dense), ...common }),
  v.strictObject({ structure: v.literal('lowrank'), strategy: v.picklist(STRATEGIES.lowrank), rank: size, ...common }),
  v.strictObject({ structure: v.literal('monarch'), strategy: v.picklist(STRATEGIES.monarch), blocks: size, rank: size, ...common }),
  v.strictObject({ structure: v.literal('blast'), strategy: v.picklist(STRATEGIES.blast), blocks: size, rank: size, ...common }),
]);

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

const SnapshotSchema = v.strictObject({
  v: v.literal(SNAPSHOT_VERSION, `unsupported snapshot version (this playground reads ${SNAPSHOT_VERSION})`),
  device: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(MAX_DEVICE_CHARS),
    v.check((s) => !CONTROL_CHARS.test(s), 'device must be plain text'),
  ),
  points: v.array(PointSchema),
});

/**
 * The `results` value for these points. Timings keep 4 significant digits and errors 2 (more
 * is noise, and fewer digits compress far better). Throws SnapshotTooLargeError over the cap
 * and an Error for a point that could not be shared back (bad shape, NaN timing).
 */
export function encodeSnapshot(points: SnapshotPoint[], device: string): string {
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
  const knobs =
    p.structure === 'monarch' || p.structure === 'blast' ? { blocks: p.blocks, rank: p.rank } : p.structure === 'lowrank' ? { rank: p.rank } : {};
  return {
    structure: p.structure,
    ...knobs,
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

/** Schema first, then each point's shape and knobs as validateProblem sees them. */
function parseSnapshot(data: unknown): SnapshotResult {
  const parsed = v.safeParse(SnapshotSchema, data);
  if (!parsed.success) return { ok: false, error: describeIssue(parsed.issues[0]) };
  const { device, points } = parsed.output;
  for (const [i, p] of points.entries()) {
    const issues = validateProblem({ shape: { m: p.m, n: p.n, tokens: p.tokens }, structure: pointSpec(p), dtype: p.dtype });
    if (issues.length > 0) return { ok: false, error: `point ${i + 1}: ${issues.map((issue) => issue.message).join('; ')}` };
  }
  return { ok: true, snapshot: { device, points } };
}

function pointSpec(p: v.InferOutput<typeof PointSchema>): StructureSpec {
  switch (p.structure) {
    case 'dense':
      return { kind: 'dense' };
    case 'lowrank':
      return { kind: 'lowrank', rank: p.rank };
    case 'monarch':
    case 'blast':
      return { kind: p.structure, blocks: p.blocks, rank: p.rank };
  }
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  return clipText(path ? `${path}: ${issue.message}` : issue.message, MAX_ERROR_CHARS);
}
