/**
 * The feeds' devices as extra series in the timing and roofline views. A feed group is one
 * device × implementation × dtype (e.g. "NVIDIA A40 · cost-model bf16"); the user picks which
 * groups the charts draw. Each group draws dense and the experiment's structure (same knobs),
 * every strategy the feed has, as latency and speedup lines and as roofline points at the
 * group's token count nearest the experiment's, held against that device's own roof.
 */
import { OWN_MARK, type DeviceMark } from '../charts/marks';
import type { Roof, RooflinePoint } from '../data/roofline';
import type { Series } from '../data/timing';
import { deviceRoof, FEED_STRATEGIES, IMPLEMENTATIONS, type FeedDType, type Implementation, type MergedDevice, type MergedResult } from '../../lib/feed';
import { LIMITS } from '../../lib/limits';
import { shortName } from '../data/format';
import { roofAt } from '../../lib/cost/ceilings';
import { attainableFlops } from '../../lib/cost/roofline';
import { structureOf } from '../../lib/structures/kinds';
import { knobsOf } from '../../lib/structures/knobs';
import { structureLabel } from '../../lib/structures/shapes';
import type { DType, StructureSpec } from '../../lib/structures/types';
import { denseReferences, nearestTokens, resultWork } from './compare';

export interface FeedGroup {
  /** `device|implementation|dtype` */
  id: string;
  device: MergedDevice;
  implementation: Implementation;
  dtype: FeedDType;
  /** a cost-model prediction, never a measurement */
  modelled: boolean;
  label: string;
}

const groupIds = new WeakMap<MergedResult, string>();
/** A result's group id, made once per result: the charts ask for it of every result several times. */
function groupId(r: MergedResult): string {
  let id = groupIds.get(r);
  if (id === undefined) groupIds.set(r, (id = `${r.device}|${r.implementation}|${r.dtype}`));
  return id;
}

/** The same structure and knobs (feeds and the experiment may order keys differently). */
export function sameStructure(a: StructureSpec, b: StructureSpec): boolean {
  if (a.kind !== b.kind) return false;
  const [ka, kb] = [knobsOf(a), knobsOf(b)];
  return structureOf(a).knobs.every((knob) => ka[knob] === kb[knob]);
}

/** The layer's results a chart of `structure` draws: dense (its baseline) and that structure. */
export function drawnResults(layer: MergedResult[], structure: StructureSpec): MergedResult[] {
  return layer.filter((r) => r.structure.kind === 'dense' || sameStructure(r.structure, structure));
}

/**
 * The groups with something to draw, by device (feed order), implementation, dtype. Labels
 * carry the device's name (cut to LIMITS.nameChars), and its feed where two feeds' devices
 * share a name.
 */
export function feedGroups(devices: MergedDevice[], drawn: MergedResult[]): FeedGroup[] {
  // One result per group, by device: a feed's thousands of results make a few groups.
  const byDevice = new Map<string, Map<string, MergedResult>>();
  for (const r of drawn) {
    const id = groupId(r);
    let ofDevice = byDevice.get(r.device);
    if (!ofDevice) byDevice.set(r.device, (ofDevice = new Map()));
    if (!ofDevice.has(id)) ofDevice.set(id, r);
  }
  const groups = new Map<string, FeedGroup>();
  for (const device of devices) {
    const sorted = [...(byDevice.get(device.id)?.values() ?? [])].sort(
      (a, b) => IMPLEMENTATIONS.indexOf(a.implementation) - IMPLEMENTATIONS.indexOf(b.implementation) || a.dtype.localeCompare(b.dtype),
    );
    for (const r of sorted) {
      const id = groupId(r);
      const modelled = r.implementation === 'cost-model';
      groups.set(id, { id, device, implementation: r.implementation, dtype: r.dtype, modelled, label: `${shortName(device.name)} · ${r.implementation} ${r.dtype}${modelled ? ' (modelled)' : ''}` });
    }
  }
  const all = [...groups.values()];
  const count = new Map<string, number>();
  for (const g of all) count.set(g.label, (count.get(g.label) ?? 0) + 1);
  for (const g of all) if (count.get(g.label)! > 1) g.label += ` · from ${g.device.origin === 'default' ? 'the default feed' : shortName(g.device.origin)}`;
  return all;
}

/**
 * What the charts draw before the user picks: one group per device, our WGSL at the
 * experiment's dtype where the device has it, else the paper's cost model, else its first.
 */
export function defaultGroupIds(groups: FeedGroup[], dtype: DType): string[] {
  const byDevice = new Map<string, FeedGroup[]>();
  for (const g of groups) byDevice.set(g.device.id, [...(byDevice.get(g.device.id) ?? []), g]);
  return [...byDevice.values()]
    .map((gs) => (gs.find((g) => g.implementation.startsWith('wgsl-') && g.dtype === dtype) ?? gs.find((g) => g.modelled) ?? gs[0]).id)
    .slice(0, LIMITS.drawnGroups);
}

/** Series with a device mark: the feeds' lines. */
export type FeedSeries = Series & { feed: NonNullable<Series['feed']>; source: string };

/** Dense first, then the structure's strategies in their feed order. */
const byKernel = (a: MergedResult, b: MergedResult) =>
  Number(a.structure.kind !== 'dense') - Number(b.structure.kind !== 'dense') || FEED_STRATEGIES.indexOf(a.strategy) - FEED_STRATEGIES.indexOf(b.strategy);

/** Each chosen group's results, dense first, from one pass over `drawn` (a feed may hold thousands). */
function byGroup(chosen: FeedGroup[], drawn: MergedResult[]): Map<string, MergedResult[]> {
  const out = new Map<string, MergedResult[]>(chosen.map((g) => [g.id, []]));
  for (const r of drawn) out.get(groupId(r))?.push(r);
  for (const list of out.values()) list.sort(byKernel);
  return out;
}

const kernelLabel = (r: MergedResult) => `${structureLabel(r.structure)} · ${r.strategy}`;

const markOf = (marks: Map<string, DeviceMark>, g: FeedGroup) => marks.get(g.device.id) ?? OWN_MARK;

/** The roof a group's points are held against: one per device × dtype. */
const roofIdOf = (g: FeedGroup) => `feed:${g.device.id}:${g.dtype}`;

/** One line per chosen group × structure × strategy × source, latency against tokens. */
export function feedLatencySeries(chosen: FeedGroup[], drawn: MergedResult[], marks: Map<string, DeviceMark>): FeedSeries[] {
  return linesOf(chosen, drawn, marks, (r) => r.latency.medianMs);
}

/** The same lines as speedup over the device's dense at each token count (compare.ts's reference). */
export function feedSpeedupSeries(chosen: FeedGroup[], drawn: MergedResult[], marks: Map<string, DeviceMark>): FeedSeries[] {
  const chosenIds = new Set(chosen.map((g) => g.id));
  const ofChosen = drawn.filter((r) => chosenIds.has(groupId(r)) || r.structure.kind === 'dense');
  // One dense index per token count, so k results cost k lookups, not k².
  const byTokens = new Map<number, MergedResult[]>();
  for (const r of ofChosen) {
    const list = byTokens.get(r.shape.tokens);
    if (list) list.push(r);
    else byTokens.set(r.shape.tokens, [r]);
  }
  const references = new Map([...byTokens].map(([t, rs]) => [t, denseReferences(rs)]));
  const speedup = (r: MergedResult) => {
    const ref = references.get(r.shape.tokens)?.(r) ?? null;
    return ref ? ref.latency.medianMs / r.latency.medianMs : null;
  };
  return linesOf(
    chosen,
    drawn.filter((r) => r.structure.kind !== 'dense'),
    marks,
    speedup,
  );
}

function linesOf(chosen: FeedGroup[], drawn: MergedResult[], marks: Map<string, DeviceMark>, y: (r: MergedResult) => number | null): FeedSeries[] {
  const lines = new Map<string, FeedSeries>();
  const groups = byGroup(chosen, drawn);
  for (const g of chosen) {
    for (const r of groups.get(g.id)!) {
      const value = y(r);
      if (value === null || !(value > 0)) continue;
      const id = `${g.id}|${r.structure.kind}|${r.strategy}|${r.provenance.source}`;
      let line = lines.get(id);
      if (!line) {
        const dense = r.structure.kind === 'dense';
        const kernel = kernelLabel(r);
        const feed = { mark: markOf(marks, g), group: g.label, kernel };
        line = { id, label: `${g.label} · ${kernel}`, strategy: r.strategy, dense, points: [], feed, source: r.provenance.source };
        lines.set(id, line);
      }
      // The same result twice (one file loaded from two places, two runs with one source): the first counts.
      if (!line.points.some((p) => p.x === r.shape.tokens)) line.points.push({ x: r.shape.tokens, y: value });
    }
  }
  const all = [...lines.values()];
  // Two runs of the same kernel (two sources) get their source in the label.
  const counts = new Map<string, number>();
  for (const l of all) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  for (const l of all) {
    l.points.sort((a, b) => a.x - b.x);
    if (counts.get(l.label)! > 1) l.label += ` · ${l.source}`;
  }
  return all;
}

/** A roof per chosen device × dtype, where the device has both a bandwidth and a FLOP/s figure. */
export type FeedRoof = Roof & { mark: DeviceMark; basis: string };

export function feedRoofs(chosen: FeedGroup[], marks: Map<string, DeviceMark>): { roofs: FeedRoof[]; missing: string[] } {
  const roofs = new Map<string, FeedRoof>();
  const missing = new Set<string>();
  for (const g of chosen) {
    const id = roofIdOf(g);
    if (roofs.has(id)) continue;
    const roof = deviceRoof(g.device, g.dtype);
    if (roofAt(roof.ceilings, g.dtype) === null) {
      missing.add(`${shortName(g.device.name)} ${g.dtype}: ${roof.basis}`);
      continue;
    }
    roofs.set(id, {
      id,
      label: `${shortName(g.device.name)} ${g.dtype}`,
      ceilings: roof.ceilings,
      dtype: g.dtype,
      mark: markOf(marks, g),
      basis: roof.basis,
    });
  }
  return { roofs: [...roofs.values()], missing: [...missing] };
}

export interface FeedRooflinePoint extends RooflinePoint {
  mark: DeviceMark;
  strategy: MergedResult['strategy'];
  dense: boolean;
  modelled: boolean;
  tokens: number;
}

/**
 * Each chosen group's results at its token count nearest `tokens`: modelled intensity
 * (the result's bytes and FLOPs, else our cost model's) and the FLOP/s its latency gives,
 * against its own device's roof (from feedRoofs). Results with no byte count (native kernels)
 * have no intensity.
 */
export function feedRooflinePoints(chosen: FeedGroup[], drawn: MergedResult[], tokens: number, marks: Map<string, DeviceMark>, roofs: FeedRoof[]): FeedRooflinePoint[] {
  const points: FeedRooflinePoint[] = [];
  const groups = byGroup(chosen, drawn);
  for (const g of chosen) {
    const ofGroup = groups.get(g.id)!;
    const t = nearestTokens([...new Set(ofGroup.map((r) => r.shape.tokens))], tokens);
    const roof = roofs.find((r) => r.id === roofIdOf(g));
    const seen = new Set<string>();
    for (const r of ofGroup.filter((r) => r.shape.tokens === t)) {
      const key = `${r.structure.kind}|${r.strategy}`;
      // One point per kernel: a second run of it (another source) would sit on top.
      if (seen.has(key)) continue;
      const { bytes, flops } = resultWork(r);
      if (!bytes || !flops) continue;
      seen.add(key);
      const intensity = flops / bytes;
      const flopsPerS = flops / (r.latency.medianMs / 1e3);
      const attainable = roof ? attainableFlops(intensity, roof.ceilings, roof.dtype) : undefined;
      points.push({
        id: `${g.id}|${key}`,
        label: `${g.label} · ${kernelLabel(r)} · T=${t}`,
        intensity,
        flopsPerS,
        ...(attainable !== undefined ? { attainable } : {}),
        // Not flagged as a bug: a feed's roof may be a datasheet peak or our WebGPU-measured ceiling.
        aboveRoof: false,
        mark: markOf(marks, g),
        strategy: r.strategy,
        dense: r.structure.kind === 'dense',
        modelled: g.modelled,
        tokens: t!,
      });
    }
  }
  return points;
}
