/**
 * Command-line parsing for `blr`: every bad input becomes a UsageError with a one-line reason
 * (exit code 2), never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { PathOptions } from '../lib/gpu/engine';
import { KERNEL_PATHS, type KernelPath } from '../lib/gpu/types';
import { exactProblem } from '../lib/share/resolve';
import { knobsOf, specFrom } from '../lib/structures/knobs';
import { DTYPES, type DType, type Problem, type Strategy, type StructureKind, type StructureSpec } from '../lib/structures/types';
import { DEFAULT_STRATEGY, STRATEGIES, structure, STRUCTURE_KINDS } from '../lib/structures/kinds';

export class UsageError extends Error {}

/** A whole number ≥ 1 (or ≥ 0 with allowZero), refusing '12abc', '1e3', '-4', '2.5'. */
export function parseCount(flag: string, value: string | undefined, allowZero = false): number {
  if (value === undefined) throw new UsageError(`--${flag} is required`);
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || (n === 0 && !allowZero)) throw new UsageError(`--${flag} must be a whole number ≥ ${allowZero ? 0 : 1}, got '${value}'`);
  return n;
}

export function parseList(flag: string, value: string): number[] {
  const items = value.split(',').map((v) => v.trim());
  if (items.some((v) => v === '')) throw new UsageError(`--${flag} must be a comma-separated list of whole numbers, got '${value}'`);
  return items.map((v) => parseCount(flag, v));
}

export function parseChoice<T extends string>(flag: string, value: string | undefined, choices: readonly T[]): T {
  if (value === undefined) throw new UsageError(`--${flag} is required (one of ${choices.join(', ')})`);
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got '${value}'`);
  return value as T;
}

export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: attachDashValues(argv, options), options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

/**
 * `--m -4` as `--m=-4`: node's parser reads a value starting with '-' as a possible flag and
 * refuses it as ambiguous; attached, the value reaches our own check (which names the flag).
 * A string flag followed by another of our flags, or by nothing, has no value.
 */
function attachDashValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    const next = argv[i + 1];
    const isFlag = (word: string) => /^--?[^=]/.test(word) && word.replace(/^--?/, '').split('=')[0] in options;
    const takesValue = name !== undefined && options[name]?.type === 'string';
    if (takesValue && (next === undefined || isFlag(next))) throw new UsageError(`--${name} needs a value`);
    if (takesValue && next.startsWith('-')) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** The structure of `kind` with the knobs given; missing knobs are named, and so are knobs the kind lacks. */
export function structureFrom(kind: StructureKind, blocks: string | undefined, rank: string | undefined): StructureSpec {
  const given = { blocks, rank };
  const has = structure(kind).knobs;
  const extra = (['blocks', 'rank'] as const).filter((knob) => given[knob] !== undefined && !has.includes(knob));
  if (extra.length) {
    const takes = has.length === 0 ? 'neither --blocks nor --rank' : `${has.map((k) => `--${k}`).join(' and ')} only, not ${extra.map((k) => `--${k}`).join(' or ')}`;
    throw new UsageError(`${kind} takes ${takes}`);
  }
  return specFrom(kind, Object.fromEntries(has.map((knob) => [knob, parseCount(knob, given[knob])])));
}

/**
 * The problem and strategy exactly as the flags give them, checked by the experiment resolver
 * (the page's limits and rules); every problem is named, nothing is substituted.
 */
export function checkedProblem(problem: Problem, strategy: Strategy): Problem {
  const exact = exactProblem({ ...problem.shape, structure: problem.structure.kind, ...knobsOf(problem.structure), strategy, dtype: problem.dtype });
  if (!exact.ok) throw new UsageError(exact.problems.map((p) => p.reason).join('; '));
  return exact.problem;
}

/** --fragment MxNxK: a matrix-unit fragment shape. */
export function parseFragment(value: string | undefined): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(value);
  if (!m) throw new UsageError(`--fragment must be MxNxK (e.g. 16x16x16), got '${value}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** --path and --fragment, where given: which units run the products (PathOptions). */
export function parsePath(v: Record<string, string | boolean | undefined>): PathOptions {
  const path = v.path === undefined ? undefined : parseChoice<KernelPath>('path', v.path as string, KERNEL_PATHS);
  const fragment = parseFragment(v.fragment as string | undefined);
  if (fragment && path === 'fma') throw new UsageError('--fragment is for --path matrix or emulated');
  return { ...(path ? { path } : {}), ...(fragment ? { fragment } : {}) };
}

export const PATH_OPTIONS = {
  path: { type: 'string' },
  fragment: { type: 'string' },
} as const;

export interface VerifyArgs {
  problem: Problem;
  strategy: Strategy;
  path: PathOptions;
  seed?: number;
  json: boolean;
  dawn?: string;
}

export const VERIFY_OPTIONS = {
  kernel: { type: 'string' },
  strategy: { type: 'string' },
  m: { type: 'string' },
  n: { type: 'string' },
  tokens: { type: 'string' },
  blocks: { type: 'string' },
  rank: { type: 'string' },
  dtype: { type: 'string', default: 'f32' },
  seed: { type: 'string' },
  json: { type: 'boolean', default: false },
  dawn: { type: 'string' },
  ...PATH_OPTIONS,
} as const;

export function parseVerify(argv: string[]): VerifyArgs {
  const v = parseFlags(argv, VERIFY_OPTIONS);
  const kind = parseChoice('kernel', v.kernel as string | undefined, STRUCTURE_KINDS);
  const strategy = parseChoice('strategy', (v.strategy as string | undefined) ?? DEFAULT_STRATEGY[kind], STRATEGIES[kind]);
  const problem = checkedProblem(
    {
      shape: { m: parseCount('m', v.m as string), n: parseCount('n', v.n as string), tokens: parseCount('tokens', v.tokens as string) },
      structure: structureFrom(kind, v.blocks as string | undefined, v.rank as string | undefined),
      dtype: parseChoice<DType>('dtype', v.dtype as string, DTYPES),
    },
    strategy,
  );
  return {
    problem,
    strategy,
    path: parsePath(v),
    seed: v.seed === undefined ? undefined : parseCount('seed', v.seed as string, true),
    json: Boolean(v.json),
    dawn: v.dawn as string | undefined,
  };
}
