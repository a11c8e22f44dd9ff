/**
 * The page's answer for the selected layer and token count: how each structure's kernels
 * compare with dense, in one or two sentences and a row of bars, from the best source at hand.
 */
import { strategyCost } from '../cost/strategy-cost';
import type { Strategy, StructureSpec } from '../structures/types';
import { STRATEGIES } from '../structures/kinds';
import { baselineOf, kindName, type Kernel } from './kernels';
import { hasStrategy, pairOf, type ResultSource } from './sources';

export interface VerdictQuery {
  m: number;
  n: number;
  tokens: number;
  /** the selected structure (dense: compare every other structure with it) */
  selected: StructureSpec;
  /** the structures the chart shows: the selected one and, for a paper layer, the paper's others */
  structures: StructureSpec[];
}

export interface VerdictBar {
  kernel: Kernel;
  structure: StructureSpec;
  ms: number;
  denseMs: number;
  /** dense ms ÷ this ms: above 1 is faster than dense */
  speedup: number;
  /** bytes moved ÷ dense's, from the cost model; null where it has no such strategy */
  bytesRatio: number | null;
  /** of the selected structure */
  selected: boolean;
}

export interface Verdict {
  source: ResultSource;
  /** the token count the numbers are at (the nearest the source has, for a feed) */
  tokens: number;
  sentence: string;
  bars: VerdictBar[];
}

const DENSE_SPEC: StructureSpec = { kind: 'dense' };

/** Bytes of a kernel over dense's at one shape (the ratio is the same in every dtype). */
function bytesRatio(q: { m: number; n: number; tokens: number }, structure: StructureSpec, strategy: string): number | null {
  if (!hasStrategy(structure, strategy)) return null;
  const shape = { m: q.m, n: q.n, tokens: q.tokens };
  try {
    const own = strategyCost({ shape, structure, dtype: 'f16' }, strategy as Strategy);
    const dense = strategyCost({ shape, structure: DENSE_SPEC, dtype: 'f16' }, 'tiled');
    return own.bytes / dense.bytes;
  } catch {
    return null;
  }
}

/** Strategy names a source may have for a structure: its module's. */
function strategiesOf(s: StructureSpec): string[] {
  return [...STRATEGIES[s.kind]];
}

/** Every structured kernel the source has at `tokens`, each against dense from the same run where it can. */
export function verdictBars(source: ResultSource, q: VerdictQuery, tokens: number): VerdictBar[] {
  const shape = { m: q.m, n: q.n, tokens };
  const dense = { shape, structure: DENSE_SPEC, strategy: 'tiled' };
  const bars: VerdictBar[] = [];
  for (const structure of q.structures) {
    if (structure.kind === 'dense') continue;
    for (const strategy of strategiesOf(structure)) {
      const pair = pairOf(source, { shape, structure, strategy }, dense);
      if (!pair) continue;
      const [ms, denseMs] = pair;
      bars.push({
        kernel: { kind: structure.kind, strategy },
        structure,
        ms,
        denseMs,
        speedup: denseMs / ms,
        bytesRatio: bytesRatio(shape, structure, strategy),
        selected: structure.kind === q.selected.kind,
      });
    }
  }
  return bars;
}

const fmt = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

/** "runs 1.7× faster than dense", "runs 1.2× slower than dense", "runs as fast as dense". */
export function speedPhrase(speedup: number): string {
  if (speedup >= 1.05) return `runs ${fmt(speedup)}× faster than dense`;
  if (speedup <= 1 / 1.05) return `runs ${fmt(1 / speedup)}× slower than dense`;
  return 'runs as fast as dense';
}

const label = (b: VerdictBar) => `${kindName(b.kernel.kind)} ${b.kernel.strategy}`;
const fastest = (bars: VerdictBar[]) => bars.reduce<VerdictBar | null>((best, b) => (best === null || b.speedup > best.speedup ? b : best), null);

/** The sentence: the selected structure's best kernel and its baseline, or for dense each structure's best. */
export function verdictSentence(source: ResultSource, q: VerdictQuery, tokens: number, bars: VerdictBar[]): string {
  const at = `At ${tokens} token${tokens === 1 ? '' : 's'}${tokens === q.tokens ? '' : ` (the nearest the source has to ${q.tokens})`} ${source.where}`;
  if (q.selected.kind === 'dense') {
    const kinds = [...new Set(bars.map((b) => b.kernel.kind))];
    const bests = kinds.map((k) => fastest(bars.filter((b) => b.kernel.kind === k))!).sort((a, b) => b.speedup - a.speedup);
    if (!bests.length) return `${at}, dense has nothing to compare with.`;
    const [top, ...rest] = bests;
    const others = rest.map((b) => `${label(b)} ${speedPhrase(b.speedup).replace(/^runs /, '').replace(/ than dense$/, '')}`);
    return `${at}, the fastest replacement for this dense layer is ${label(top)}, which ${speedPhrase(top.speedup)}${others.length ? `; the best of the others: ${others.join(', ')}` : ''}.`;
  }
  const own = bars.filter((b) => b.selected);
  const best = fastest(own);
  if (!best) return `${at}, there is no ${kindName(q.selected.kind)} timing to compare with dense.`;
  const bytes = best.bytesRatio === null ? '' : ` and moves ${fmt(best.bytesRatio)}× dense's bytes`;
  const baseline = baselineOf(q.selected.kind);
  const base = own.find((b) => b.kernel.strategy === baseline.strategy);
  const then = base && base !== best ? `; ${baseline.strategy} ${kindName(baseline.kind)} (the baseline) would ${speedPhrase(base.speedup).replace(/^runs/, 'run')}` : '';
  return `${at}, ${label(best)} ${speedPhrase(best.speedup)}${bytes}${then}.`;
}

/** The token count a source answers at: the asked one when it has it, else its nearest (log distance). */
export function tokensIn(source: ResultSource, q: VerdictQuery): number | null {
  if (!source.tokens) return q.tokens;
  const have = source.tokens(q.m, q.n);
  if (!have.length) return null;
  return have.reduce((best, t) => (Math.abs(Math.log(t / q.tokens)) < Math.abs(Math.log(best / q.tokens)) ? t : best));
}

/** The verdict from one source, or null where it has no structured kernel against dense for this layer. */
export function verdictFrom(source: ResultSource, q: VerdictQuery): Verdict | null {
  const tokens = tokensIn(source, q);
  if (tokens === null) return null;
  const bars = verdictBars(source, q, tokens);
  const relevant = q.selected.kind === 'dense' ? bars : bars.filter((b) => b.selected);
  if (!relevant.length) return null;
  return { source, tokens, sentence: verdictSentence(source, q, tokens, bars), bars };
}

/**
 * Sources in the order the verdict prefers them: this GPU (a real one), then measured feed
 * devices (at the exact token count, with the most of the selected structure's kernels, in the
 * experiment's dtype, with a known roof), then modelled ones, then a software adapter's runs,
 * then the cost model.
 */
export function rankSources(sources: ResultSource[], q: VerdictQuery, dtype: string): ResultSource[] {
  const tier = (s: ResultSource) =>
    s.kind === 'this-gpu' ? (s.caveat ? 3 : 0) : s.kind === 'feed' ? (s.modelled ? 2 : 1) : 4;
  const coverage = (s: ResultSource) => {
    const tokens = tokensIn(s, q);
    if (tokens === null) return { exact: false, kernels: 0 };
    const kernels = verdictBars(s, q, tokens).filter((b) => q.selected.kind === 'dense' || b.selected).length;
    return { exact: tokens === q.tokens, kernels };
  };
  const scored = sources.map((s, i) => ({ s, i, tier: tier(s), ...coverage(s), dtype: s.dtype === dtype ? 1 : 0, roof: Number(s.roofKnown) }));
  return scored
    .filter((x) => x.kernels > 0)
    .sort((a, b) => a.tier - b.tier || Number(b.exact) - Number(a.exact) || b.kernels - a.kernels || b.dtype - a.dtype || b.roof - a.roof || a.i - b.i)
    .map((x) => x.s);
}

/** The verdict from the best source at hand (rankSources), or null when none has one. */
export function bestVerdict(sources: ResultSource[], q: VerdictQuery, dtype: string): Verdict | null {
  for (const s of rankSources(sources, q, dtype)) {
    const v = verdictFrom(s, q);
    if (v) return v;
  }
  return null;
}

