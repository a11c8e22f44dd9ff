/**
 * The paper's headline claims (arXiv:2512.20861), each with its sentence, where it stands, the
 * ratio it states, and how the same ratio is computed from any source of latencies: a feed
 * device, this GPU's own runs, or our cost model. The one home of the paper's claims.
 *
 * Quotes are the paper's words. The text conversion they come from lost the circled
 * optimisation numbers (①–⑤); they are restored from §4, which defines them.
 */
import type { StructureKind } from '../structures/types';
import type { PaperDeviceId } from './devices';
import {
  BLAST_BASELINE,
  BLAST_PARTIAL,
  BLAST_PERM_FUSED,
  DENSE,
  LOWRANK,
  MONARCH_BASELINE,
  MONARCH_OPTIMISED,
  kernelLabel,
  type Kernel,
} from './kernels';
import { PAPER_MODELS, layerWiseLayers, modelLayers, paperModel, paperSpec, type ModelLayer } from './models';
import { pairOf, type PointQuery, type ResultSource } from './sources';

/** What the paper says the ratio is. */
export type Stated =
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'about'; value: number }
  | { kind: 'up-to'; value: number }
  | { kind: 'words'; text: string };

/** How many cases must pass for the claim to hold. */
export type Quantifier = { kind: 'all' } | { kind: 'some' } | { kind: 'share'; atLeast: number };

/** One case of a claim (a layer, a model) and how a source's latencies give its ratio. */
export interface CaseDef {
  label: string;
  /** every point the case needs */
  points: PointQuery[];
  /** the ratio, null where the source lacks a point, 'excluded' where the case does not apply to this source */
  value(source: ResultSource): number | null | 'excluded';
}

export interface ClaimPart {
  id: string;
  /** e.g. "Monarch unfused (baseline) vs dense" */
  label: string;
  /** the ratio in words, e.g. "runtime ÷ dense's runtime" */
  ratio: string;
  stated: Stated;
  /** what each case must show, in words and as a test */
  test: { text: string; passes: (ratio: number) => boolean };
  quantifier: Quantifier;
  /** where the cases are restricted, in words (e.g. "where the BLAST baseline is slower than dense") */
  where?: string;
  cases: CaseDef[];
}

export interface Claim {
  id: string;
  /** the finding in one sentence */
  headline: string;
  quote: string;
  /** e.g. "§3.2 Multi-Token Inference (Fig. 3, right)" */
  section: string;
  /** what the paper measured, besides the GPUs: models, tokens, kernels */
  setting: string;
  /** the GPUs the paper measured it on */
  paperDevices: PaperDeviceId[];
  parts: ClaimPart[];
}

const EPSILON = 0.005;

// ---------------------------------------------------------------------------------------------
// Cases

/** The point of `kernel` at a model layer, null where the paper has no such structure (Monarch on DiT). */
export function pointAt(l: ModelLayer, kernel: Kernel, tokens = l.tokens): PointQuery | null {
  const structure = paperSpec(l, kernel.kind);
  return structure && { shape: { m: l.preset.m, n: l.preset.n, tokens }, structure, strategy: kernel.strategy };
}

const layerLabel = (l: ModelLayer, tokens: number) => `${l.model.name} ${l.replaced.paperName} (T=${tokens})`;

/** Latency of `top` over latency of `bottom` at one layer, both from one run where possible. */
function layerRatio(l: ModelLayer, top: Kernel, bottom: Kernel, tokens = l.tokens, where?: (s: ResultSource) => boolean | null): CaseDef | null {
  const a = pointAt(l, top, tokens);
  const b = pointAt(l, bottom, tokens);
  if (!a || !b) return null;
  return {
    label: layerLabel(l, tokens),
    points: [a, b],
    value(source) {
      if (where) {
        const applies = where(source);
        if (applies === null) return null;
        if (!applies) return 'excluded';
      }
      const pair = pairOf(source, a, b);
      return pair && pair[0] / pair[1];
    },
  };
}

const present = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

/** Every layer of Fig. 8 (layer-wise) over the models that have the structures of `kinds`. */
function layerWise(...kinds: StructureKind[]): ModelLayer[] {
  return PAPER_MODELS.flatMap(layerWiseLayers).filter((l) => kinds.every((k) => paperSpec(l, k) !== null));
}

/** Whether the BLAST baseline is slower than dense at this layer in the source; null when unknown. */
const baselineLoses = (l: ModelLayer) => (source: ResultSource) => {
  const c = layerRatio(l, BLAST_BASELINE, DENSE);
  const v = c?.value(source);
  return typeof v === 'number' ? v > 1 : null;
};

/**
 * Σ count × latency of `top` and of `bottom` over a model's replaced layers (Table 3), each
 * layer's pair from one run where possible; null where the source lacks a point, 'excluded'
 * where the model has no such structure (Monarch on DiT).
 */
export function endToEndSums(preset: string, top: Kernel, bottom: Kernel, source: ResultSource): { top: number; bottom: number } | null | 'excluded' {
  let sumTop = 0;
  let sumBottom = 0;
  for (const l of modelLayers(paperModel(preset)!)) {
    const a = pointAt(l, top);
    const b = pointAt(l, bottom);
    if (!a || !b) return 'excluded';
    const pair = pairOf(source, a, b);
    if (!pair) return null;
    sumTop += l.count * pair[0];
    sumBottom += l.count * pair[1];
  }
  return { top: sumTop, bottom: sumBottom };
}

/** The end-to-end ratio of `top` over `bottom` for one model, as a claim's case. */
export function endToEndCase(preset: string, top: Kernel, bottom: Kernel): CaseDef {
  const model = paperModel(preset)!;
  return {
    label: `${model.name} (${model.workload})`,
    points: present(modelLayers(model).flatMap((l) => [pointAt(l, top), pointAt(l, bottom)])),
    value(source) {
      const sums = endToEndSums(preset, top, bottom, source);
      return sums === null || sums === 'excluded' ? sums : sums.top / sums.bottom;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The claims

const llama7b = () => modelLayers(paperModel('llama-7b')!);
const slower = { text: 'above 1 (slower than dense)', passes: (r: number) => r > 1 };

export const CLAIMS: readonly Claim[] = [
  {
    id: 'multi-token-baselines',
    headline: "At many tokens the PyTorch baselines of Monarch and BLAST run slower than dense, while low-rank takes about half of dense's time.",
    quote:
      'Traditional low-rank runs at 0.53–0.59× the runtime of dense, roughly consistent with its 2× compression. Monarch slows down, taking 1.14–1.68× longer than dense, while BLAST takes 2.63–4.31× longer.',
    section: '§3.2 Multi-Token Inference (Fig. 3, right)',
    setting: 'Llama-7B layers, bf16, multi-token (1024 tokens, the paper’s Fig. 4 example), PyTorch baselines',
    paperDevices: ['a40'],
    parts: [
      { kernel: LOWRANK, stated: { lo: 0.53, hi: 0.59 }, test: { text: 'below 1 (faster than dense)', passes: (r: number) => r < 1 } },
      { kernel: MONARCH_BASELINE, stated: { lo: 1.14, hi: 1.68 }, test: slower },
      { kernel: BLAST_BASELINE, stated: { lo: 2.63, hi: 4.31 }, test: slower },
    ].map(({ kernel, stated, test }) => ({
      id: `${kernel.kind}-${kernel.strategy}`,
      label: kernelLabel(kernel),
      ratio: "its runtime ÷ dense's runtime",
      stated: { kind: 'range' as const, ...stated },
      test,
      quantifier: { kind: 'all' as const },
      cases: present(llama7b().map((l) => layerRatio(l, kernel, DENSE, 1024))),
    })),
  },
  {
    id: 'single-token',
    headline: 'At a single token every BLR method is about 2× faster than dense: the weights are the traffic, and they are half the size.',
    quote:
      'As a result, compressing weights (e.g., by 2×) can nearly double throughput. This trend is evident in Llama-7B layers on the A40 GPU (Figure 3, left). Here, (B)LR methods such as BLAST, Monarch, and traditional low-rank all achieve similar performance compared to dense since the bottleneck lies in weight data movement rather than compute.',
    section: '§3.1 Single-Token Inference (Fig. 3, left)',
    setting: 'Llama-7B layers, bf16, one token (decoding), PyTorch baselines',
    paperDevices: ['a40'],
    parts: [LOWRANK, MONARCH_BASELINE, BLAST_BASELINE].map((kernel) => ({
      id: `${kernel.kind}-${kernel.strategy}`,
      label: kernelLabel(kernel),
      ratio: "dense's runtime ÷ its runtime (speedup)",
      stated: { kind: 'about' as const, value: 2 },
      test: { text: 'at least 1.5 (about 2× faster than dense)', passes: (r: number) => r >= 1.5 },
      quantifier: { kind: 'all' as const },
      cases: present(llama7b().map((l) => layerRatio(l, DENSE, kernel, 1))),
    })),
  },
  {
    id: 'monarch-optimised',
    headline: 'Optimised Monarch (①–③, our partial strategy) is 1.46–2.37× faster than its PyTorch baseline.',
    quote: 'Our optimized Monarch kernel (①–③) also provides meaningful gains, achieving 1.46–2.37× speedups across layers relative to its baseline.',
    section: '§5 Layer-wise Breakdown (Fig. 8)',
    setting: 'every Monarch layer of the models each GPU ran, bf16, each model’s own token count',
    paperDevices: ['a40', 'jetson-orin-nano'],
    parts: [
      {
        id: 'monarch-partial-vs-unfused',
        label: `${kernelLabel(MONARCH_OPTIMISED)} vs ${kernelLabel(MONARCH_BASELINE)}`,
        ratio: "the baseline's runtime ÷ its runtime (speedup)",
        stated: { kind: 'range', lo: 1.46, hi: 2.37 },
        test: { text: 'above 1 (faster than its baseline)', passes: (r) => r > 1 },
        quantifier: { kind: 'all' },
        cases: present(layerWise('monarch').map((l) => layerRatio(l, MONARCH_BASELINE, MONARCH_OPTIMISED))),
      },
    ],
  },
  {
    id: 'blast-beats-dense',
    headline: 'Optimised BLAST (⑤) beats dense by 1.13–3.76× in more than 90 % of the layers where its baseline loses.',
    quote:
      'Most importantly, ⑤ outperforms dense by 1.13-3.76× in >90% of cases where its baseline falls short, proving competitive with highly tuned dense kernels as well as other BLR baselines.',
    section: '§5 Layer-wise Breakdown (Fig. 8)',
    setting: 'every layer of Fig. 8, bf16, each model’s own token count',
    paperDevices: ['a40', 'jetson-orin-nano'],
    parts: [
      {
        id: 'blast-perm-fused-vs-dense',
        label: `${kernelLabel(BLAST_PERM_FUSED)} vs dense`,
        ratio: "dense's runtime ÷ its runtime (speedup)",
        stated: { kind: 'range', lo: 1.13, hi: 3.76 },
        test: { text: 'above 1 (faster than dense)', passes: (r) => r > 1 },
        quantifier: { kind: 'share', atLeast: 0.9 },
        where: 'the layers where the BLAST baseline (unfused) is slower than dense',
        cases: present(layerWise('blast').map((l) => layerRatio(l, DENSE, BLAST_PERM_FUSED, l.tokens, baselineLoses(l)))),
      },
    ],
  },
  {
    id: 'blast-partial-worse',
    headline: 'BLAST ④ (partial fusion, its coupling on CUDA cores) is consistently slower than ⑤, and sometimes slower than the baseline.',
    quote:
      'BLAST kernels employing optimization ④ are consistently worse than those employing ⑤, and in some cases worse than baseline BLAST, such as GPT2-S on Jetson, because the second bmm in ④ is mapped as batched outer product running on CUDA cores while ⑤ leverages tensor cores for this bmm.',
    section: '§5 Layer-wise Breakdown (Fig. 8)',
    setting: 'every BLAST layer of Fig. 8, bf16',
    paperDevices: ['a40', 'jetson-orin-nano'],
    parts: [
      {
        id: 'blast-partial-vs-perm-fused',
        label: `${kernelLabel(BLAST_PARTIAL)} vs ${kernelLabel(BLAST_PERM_FUSED)}`,
        ratio: "④'s runtime ÷ ⑤'s runtime",
        stated: { kind: 'words', text: 'consistently worse' },
        test: { text: 'above 1 (④ slower)', passes: (r) => r > 1 },
        quantifier: { kind: 'all' },
        cases: present(layerWise('blast').map((l) => layerRatio(l, BLAST_PARTIAL, BLAST_PERM_FUSED))),
      },
      {
        id: 'blast-partial-vs-unfused',
        label: `${kernelLabel(BLAST_PARTIAL)} vs ${kernelLabel(BLAST_BASELINE)}`,
        ratio: "④'s runtime ÷ the baseline's runtime",
        stated: { kind: 'words', text: 'in some cases worse (GPT2-S on Jetson)' },
        test: { text: 'above 1 (④ slower than the baseline)', passes: (r) => r > 1 },
        quantifier: { kind: 'some' },
        cases: present(layerWise('blast').map((l) => layerRatio(l, BLAST_PARTIAL, BLAST_BASELINE))),
      },
    ],
  },
  {
    id: 'end-to-end',
    headline: "End to end, optimised BLAST (⑤) beats dense on every model, by up to 1.48×.",
    quote: 'Finally, ⑤ not only outperforms dense across all tested models by up to 1.48× but also approaches the speed of low-rank while maintaining higher accuracy.',
    section: '§5 End-to-End Comparison (Fig. 9)',
    setting: 'whole models compiled with torch.compile (CUDA graphs), bf16',
    paperDevices: ['a40', 'jetson-orin-nano'],
    parts: [
      {
        id: 'end-to-end-perm-fused',
        label: `${kernelLabel(BLAST_PERM_FUSED)} vs dense, replaced layers summed`,
        ratio: "dense's summed runtime ÷ its summed runtime (speedup), over Table 3's layers × their counts; attention and everything outside those layers not counted",
        stated: { kind: 'up-to', value: 1.48 },
        test: { text: 'above 1 (faster than dense)', passes: (r) => r > 1 },
        quantifier: { kind: 'all' },
        cases: PAPER_MODELS.map((m) => endToEndCase(m.preset, DENSE, BLAST_PERM_FUSED)),
      },
    ],
  },
];

export function findClaim(id: string): Claim | undefined {
  return CLAIMS.find((c) => c.id === id);
}

// ---------------------------------------------------------------------------------------------
// Checking a claim against a source

export type PartVerdict = 'holds' | 'does-not-hold' | 'not-measured' | 'no-cases';
export type ClaimVerdict = 'holds' | 'partly' | 'does-not-hold' | 'not-measured';

export interface CheckedCase {
  label: string;
  value: number;
  passes: boolean;
}

export interface PartCheck {
  part: ClaimPart;
  /** cases the source has data for */
  cases: CheckedCase[];
  /** labels of the cases it lacks a point of */
  missing: string[];
  /** min and max of the ratio over the cases */
  range: [number, number] | null;
  verdict: PartVerdict;
  /** whether the range lies within the paper's (null where the paper states no range) */
  withinStated: boolean | null;
}

export interface ClaimCheck {
  claim: Claim;
  source: ResultSource;
  parts: PartCheck[];
  /** over the parts the source can judge: all hold (and none is left unjudged), none hold, or some */
  verdict: ClaimVerdict;
  /** parts the source cannot judge (no data, or no case applies) */
  unjudged: number;
}

function withinStated(stated: Stated, range: [number, number]): boolean | null {
  switch (stated.kind) {
    case 'range':
      return range[0] >= stated.lo - EPSILON && range[1] <= stated.hi + EPSILON;
    case 'about':
      return range[0] >= stated.value * 0.75 && range[1] <= stated.value * 1.25;
    default:
      return null;
  }
}

function passesQuantifier(q: Quantifier, passing: number, total: number): boolean {
  switch (q.kind) {
    case 'all':
      return passing === total;
    case 'some':
      return passing > 0;
    case 'share':
      return passing / total >= q.atLeast;
  }
}

export function checkPart(part: ClaimPart, source: ResultSource): PartCheck {
  const cases: CheckedCase[] = [];
  const missing: string[] = [];
  let excluded = 0;
  for (const c of part.cases) {
    const value = c.value(source);
    if (value === 'excluded') excluded++;
    else if (value === null || !Number.isFinite(value)) missing.push(c.label);
    else cases.push({ label: c.label, value, passes: part.test.passes(value) });
  }
  if (!cases.length) {
    const verdict = excluded > 0 && !missing.length ? 'no-cases' : 'not-measured';
    return { part, cases, missing, range: null, verdict, withinStated: null };
  }
  const values = cases.map((c) => c.value);
  const range: [number, number] = [Math.min(...values), Math.max(...values)];
  const passing = cases.filter((c) => c.passes).length;
  return {
    part,
    cases,
    missing,
    range,
    verdict: passesQuantifier(part.quantifier, passing, cases.length) ? 'holds' : 'does-not-hold',
    withinStated: withinStated(part.stated, range),
  };
}

export function checkClaim(claim: Claim, source: ResultSource): ClaimCheck {
  const parts = claim.parts.map((p) => checkPart(p, source));
  const judged = parts.filter((p) => p.verdict === 'holds' || p.verdict === 'does-not-hold');
  const holding = judged.filter((p) => p.verdict === 'holds').length;
  const verdict: ClaimVerdict = !judged.length ? 'not-measured' : holding === parts.length ? 'holds' : holding === 0 ? 'does-not-hold' : 'partly';
  return { claim, source, parts, verdict, unjudged: parts.length - judged.length };
}

/** Every distinct point a claim needs, e.g. for this GPU to measure. */
export function claimPoints(claim: Claim): PointQuery[] {
  const seen = new Map<string, PointQuery>();
  for (const part of claim.parts) for (const c of part.cases) for (const p of c.points) seen.set(JSON.stringify([p.shape, p.structure, p.strategy]), p);
  return [...seen.values()];
}

/** The paper's stated value in words: "0.53–0.59×", "about 2×", "up to 1.48×", or its words. */
export function statedText(s: Stated): string {
  switch (s.kind) {
    case 'range':
      return `${s.lo}–${s.hi}×`;
    case 'about':
      return `about ${s.value}×`;
    case 'up-to':
      return `up to ${s.value}×`;
    case 'words':
      return s.text;
  }
}
