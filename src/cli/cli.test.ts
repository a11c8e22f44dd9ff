/**
 * The built `blr` bundle as a user runs it (`node dist-cli/blr.mjs …`), through Dawn on
 * SwiftShader: exit codes, one-line reasons for bad input, and the JSON and feed it writes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../lib/feed';
import { recordedCommand } from './bench';
import type { VerifyResult } from '../lib/gpu/types';
import { type StructureKind } from '../lib/structures/types';
import { STRATEGIES, STRUCTURE_KINDS } from '../lib/structures/kinds';
import { useSwiftShaderUnlessSet } from '../test/dawn';

const ROOT = resolve(import.meta.dirname, '../..');
const BLR = join(ROOT, 'dist-cli', 'blr.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function blr(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [BLR, ...args], { cwd: ROOT, env: process.env, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return fail(error);
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

let scratch: string;

beforeAll(() => {
  useSwiftShaderUnlessSet();
  if (!existsSync(BLR)) execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'inherit' });
  scratch = mkdtempSync(join(tmpdir(), 'blr-cli-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const SHAPE = ['--m', '72', '--n', '40', '--tokens', '5'];

/** Each bad command line and a fragment its one-line reason must contain. */
const BAD_INPUTS: [string[], string][] = [
  [['frobnicate'], "unknown command 'frobnicate'"],
  [['verify', '--kernel', 'dense', '--n', '40', '--tokens', '5'], '--m is required'],
  [['verify', '--kernel', 'dense', '--m', '12abc', '--n', '40', '--tokens', '5'], "--m must be a whole number, got '12abc'"],
  // node:util parseArgs would take "-4" for a flag; blr hands it to --m's own check
  [['verify', '--kernel', 'dense', '--m', '-4', '--n', '40', '--tokens', '5'], "--m must be a whole number, got '-4'"],
  // …but a following flag is still a flag
  [['verify', '--kernel', 'dense', '--m', '--n', '40', '--tokens', '5'], '--m needs a value'],
  [['verify', '--kernel', 'dense', '--n', '40', '--tokens', '5', '--m'], '--m needs a value'],
  [['verify', '--kernel', 'dense', '--m=-4', '--n', '40', '--tokens', '5'], "--m must be a whole number, got '-4'"],
  [['verify', '--kernel', 'dense', '--m', '2.5', '--n', '40', '--tokens', '5'], "--m must be a whole number, got '2.5'"],
  [['verify', '--kernel', 'dense', '--m', '72', '--n', '40', '--tokens', '0'], "--tokens must be a whole number ≥ 1, got '0'"],
  [['verify', '--kernel', 'tucker', ...SHAPE], "--kernel must be one of dense, lowrank, monarch, blast, got 'tucker'"],
  [['verify', '--kernel', 'dense', '--strategy', 'fused', ...SHAPE], "--strategy must be one of tiled, got 'fused'"],
  [['verify', '--kernel', 'monarch', ...SHAPE, '--blocks', '3', '--rank', '6'], 'blocks b=3 must divide n=40'],
  [['verify', '--kernel', 'monarch', ...SHAPE, '--blocks', '4', '--rank', '6'], 'Monarch rank R=6 must be a multiple of blocks b=4'],
  [['verify', '--kernel', 'monarch', ...SHAPE, '--blocks', '4', '--rank', '44'], 'R=44 exceeds min(m, n)=40'],
  [['verify', '--kernel', 'blast', ...SHAPE, '--blocks', '4', '--rank', '41'], 'r=41 exceeds min(m, n)=40'],
  [['verify', '--kernel', 'lowrank', ...SHAPE, '--rank', '41'], 'r=41 exceeds min(m, n)=40'],
  // The page's limits (src/lib/limits.ts) hold here too.
  [['verify', '--kernel', 'blast', '--m', '4096', '--n', '4096', '--tokens', '1', '--blocks', '4096', '--rank', '4096'], 'blocks: expected a whole number from 1 to 64'],
  [['verify', '--kernel', 'dense', '--m', '72', '--n', '40', '--tokens', '16777216'], 'tokens: expected a whole number from 1 to 65536'],
  [['verify', '--kernel', 'dense', ...SHAPE, '--dtype', 'f64'], "--dtype must be one of f32, f16, got 'f64'"],
  [['verify', '--kernel', 'dense', ...SHAPE, '--colour', 'red'], "Unknown option '--colour'"],
  [['verify', '--kernel', 'dense', ...SHAPE, '--rank', '8'], 'dense takes neither --blocks nor --rank'],
  [['bench', '--kernel', 'monarch', '--m', '64', '--n', '96', '--blocks', '4', '--rank', '16', '--reps', '3'], '--reps must be at least 20'],
  [['bench', '--strategies', 'partial,partiall'], "--strategies must be one of tiled, fused, unfused, partial, perm-fused, got 'partiall'"],
  [['bench', '--structures', 'monarch,tucker'], "--structures must be one of dense, lowrank, monarch, blast, got 'tucker'"],
  [['bench', '--kernel', 'dense', '--m', '64', '--n', '96', '--strategies', 'partial'], 'no point to time'],
  [['bench', '--structures', 'lowrank', '--strategies', 'unfused'], 'no point to time'],
];

describe('bad input: exit 2 with a one-line reason', () => {
  it.concurrent.each(BAD_INPUTS)('blr %j', async (args, reason) => {
    const r = await blr(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^blr: /);
    expect(lines[0]).toContain(reason);
  });
});

/** Knobs valid at m=72, n=40 for each structure. */
const KNOBS: Record<StructureKind, string[]> = {
  dense: [],
  lowrank: ['--rank', '6'],
  monarch: ['--blocks', '4', '--rank', '8'],
  blast: ['--blocks', '4', '--rank', '6'],
};

const KERNEL_STRATEGIES = STRUCTURE_KINDS.flatMap((kind) => STRATEGIES[kind].map((strategy) => [kind, strategy] as const));

describe('verify: exit 0 within tolerance', () => {
  it.concurrent.each(KERNEL_STRATEGIES)('%s %s', async (kind, strategy) => {
    const r = await blr('verify', '--kernel', kind, '--strategy', strategy, ...SHAPE, ...KNOBS[kind], '--json');
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as VerifyResult;
    expect(result.ok).toBe(true);
    expect(result.plan.strategy).toBe(strategy);
    expect(result.relErr).toBeLessThan(1e-5);
  });

  it('prints ok=true without --json', async () => {
    const r = await blr('verify', '--kernel', 'monarch', ...SHAPE, ...KNOBS.monarch);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^monarch partial f32 m=72 n=40 T=5 /);
    expect(r.stdout).toMatch(/ ok=true\n$/);
  });

  it("runs the structure's default without --strategy, as help says: low-rank's two GEMMs", async () => {
    const r = await blr('verify', '--kernel', 'lowrank', ...SHAPE, ...KNOBS.lowrank);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lowrank tiled f32 m=72 n=40 T=5 /);
    const help = await blr('help');
    expect(help.stdout).toContain('Without --strategy: dense tiled, lowrank tiled, monarch partial, blast partial (the page\'s defaults).');
    expect(help.stdout).toContain('Strategies: dense tiled; lowrank tiled|fused; monarch unfused|partial|fused; blast unfused|partial|perm-fused|fused.');
  });
});

describe('info and roofline', () => {
  it('info prints the adapter as JSON', async () => {
    const r = await blr('info');
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { vendor: unknown; features: unknown; limits: Record<string, unknown> };
    expect(typeof info.vendor).toBe('string');
    expect(Array.isArray(info.features)).toBe(true);
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
  });

  it('roofline --quick prints positive ceilings as JSON', async () => {
    const r = await blr('roofline', '--quick');
    expect(r.code, r.stderr).toBe(0);
    const ceilings = JSON.parse(r.stdout) as { bandwidthGBs: number; f32GFlops: number };
    expect(ceilings.bandwidthGBs).toBeGreaterThan(0);
    expect(ceilings.f32GFlops).toBeGreaterThan(0);
  });
});

describe('bench', () => {
  it('writes a valid feed with dense and every Monarch strategy, progress on stderr', async () => {
    const out = join(scratch, 'bench.json');
    const r = await blr('bench', '--kernel', 'monarch', '--m', '64', '--n', '96', '--blocks', '4', '--rank', '16', '--tokens', '1,5', '--quick', '--reps', '3', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');

    const parsed = parseFeed(readFileSync(out, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const points = parsed.feed.results.map((p) => `${p.structure.kind} ${p.strategy} T=${p.shape.tokens}`).sort();
    const expected = (['dense', 'monarch'] as const)
      .flatMap((kind) => STRATEGIES[kind].flatMap((s) => [1, 5].map((t) => `${kind} ${s} T=${t}`)))
      .sort();
    expect(points).toEqual(expected);
    expect(parsed.feed.results.filter((p) => p.steps)).toEqual([]); // only --steps times dispatches alone

    expect(r.stderr.match(/^\[\d+\/\d+\] custom 64x96 .+ ms .+; timer \d[\d.]* (ns|µs|ms) steps, \d+ runs? a sample$/gm)).toHaveLength(expected.length);
    // each result says how its samples were made
    for (const p of parsed.feed.results) {
      expect(p.latency.runsPerSample).toBeGreaterThanOrEqual(1);
      expect(p.latency.timerResolutionMs).toBeGreaterThan(0);
      expect(p.provenance.source).toMatch(/^blr bench, timestamp-query in \d[\d.]* (ns|µs|ms) steps, \d+ runs? a sample, median of 3 samples after 5 warm-up$/);
    }
    expect(r.stderr).toContain(`wrote ${expected.length} results to ${out}`);
    // the feed records how to run it again, not this machine's folders
    expect(parsed.feed.results[0].provenance?.command).toBe(
      'blr bench --kernel monarch --m 64 --n 96 --blocks 4 --rank 16 --tokens 1,5 --quick --reps 3 --out bench.json',
    );
  });

  it('with --steps, also times each dispatch alone, in plan order', async () => {
    const r = await blr('bench', '--kernel', 'monarch', '--m', '64', '--n', '96', '--blocks', '4', '--rank', '16', '--tokens', '3',
      '--strategies', 'tiled,unfused', '--steps', '--quick', '--reps', '3');
    expect(r.code, r.stderr).toBe(0);
    const parsed = parseFeed(r.stdout);
    if (!parsed.ok) throw new Error(parsed.error);
    const [dense, unfused] = parsed.feed.results;
    // every dispatch of the plan that blr verify reports for the same problem, in its order
    const dispatches = async (...kernel: string[]) => {
      const v = await blr('verify', ...kernel, '--m', '64', '--n', '96', '--tokens', '3', '--json');
      expect(v.code, v.stderr).toBe(0);
      return (JSON.parse(v.stdout) as { plan: { dispatches: { name: string }[] } }).plan.dispatches.map((d) => d.name);
    };
    expect(dense.steps!.map((s) => s.name)).toEqual(await dispatches('--kernel', 'dense'));
    expect(unfused.steps!.map((s) => s.name)).toEqual(await dispatches('--kernel', 'monarch', '--strategy', 'unfused', '--blocks', '4', '--rank', '16'));
    expect(unfused.steps!.map((s) => s.name).filter((name) => !name.includes('reduce'))).toEqual(['stage1-bmm', 'permute', 'stage2-bmm', 'output-permute']);
    for (const p of [dense, unfused]) for (const s of p.steps!) expect(s.medianMs, s.name).toBeGreaterThan(0);
    for (const p of [dense, unfused]) for (const s of p.steps!) expect(s.runsPerSample, s.name).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toMatch(/monarch unfused f32 T=3: .+; alone: stage1-bmm [\d.]+, .*output-permute [\d.]+ ms \(runs a sample: (\d+, )+\d+\)/);
  });

  it('with Dawn quantising timestamps, as a stock browser does, times in its 65.5 µs steps', async () => {
    const r = await blr('bench', '--kernel', 'dense', '--m', '64', '--n', '96', '--tokens', '2', '--quick', '--reps', '3',
      '--dawn', 'enable-dawn-features=timestamp_quantization');
    expect(r.code, r.stderr).toBe(0);
    const parsed = parseFeed(r.stdout);
    if (!parsed.ok) throw new Error(parsed.error);
    const [dense] = parsed.feed.results;
    // Dawn rounds timestamps down to multiples of 65 536 ns; the timer's step is read off them
    expect(dense.latency.timerResolutionMs).toBe(0.065536);
    expect(dense.latency.runsPerSample).toBeGreaterThanOrEqual(1);
    expect(dense.provenance.source).toMatch(/^blr bench, timestamp-query in 65\.5 µs steps, \d+ runs? a sample, /);
    expect(r.stderr).toMatch(/dense tiled f32 T=2: .+; timer 65\.5 µs steps, \d+ runs? a sample\n/);
  });

  it('times only the structures and strategies asked for', async () => {
    const r = await blr('bench', '--kernel', 'monarch', '--m', '64', '--n', '96', '--blocks', '4', '--rank', '16', '--tokens', '3',
      '--structures', 'monarch', '--strategies', 'partial,tiled', '--quick', '--reps', '3');
    expect(r.code, r.stderr).toBe(0);
    const parsed = parseFeed(r.stdout);
    if (!parsed.ok) throw new Error(parsed.error);
    // dense (tiled) is left out by --structures, Monarch's other strategies by --strategies
    expect(parsed.feed.results.map((p) => `${p.structure.kind} ${p.strategy}`)).toEqual(['monarch partial']);
  });

  it('records --out by its file name in either spelling', () => {
    expect(recordedCommand(['--preset', 'llama-7b', '--out=/srv/run/h200.json'])).toBe('blr bench --preset llama-7b --out=h200.json');
    expect(recordedCommand(['--out', 'feeds/x.json', '--reps', '20'])).toBe('blr bench --out x.json --reps 20');
  });
});
