/**
 * What the memory-traffic view draws, from the cost model: every strategy of the structure with
 * its dispatches as bars of bytes split by tensor, and a layout of the chosen strategy that
 * tweens when the strategy changes (rows of dispatches it lacks collapse to nothing).
 */
import { strategyCost } from '../../lib/cost/strategy-cost';
import type { PlanLimits } from '../../lib/gpu/plans';
import type { StrategyCost, TensorRole } from '../../lib/cost/types';
import { type Problem, type Strategy } from '../../lib/structures/types';
import { STRATEGIES } from '../../lib/structures/kinds';

export const ROLES: readonly TensorRole[] = ['input', 'weight', 'intermediate', 'output'];

export interface TrafficSegment {
  /** unique within the structure: dispatch, tensor and direction */
  key: string;
  tensor: string;
  role: TensorRole;
  direction: 'read' | 'write';
  bytes: number;
  /** bytes before this segment in its bar */
  offset: number;
}

export interface DispatchBar {
  /** unique within the structure: strategy and dispatch name */
  key: string;
  name: string;
  flops: number;
  bytes: number;
  intensity: number;
  segments: TrafficSegment[];
}

export interface StrategyTraffic {
  strategy: Strategy;
  cost: StrategyCost;
  bars: DispatchBar[];
  /** bytes moved per tensor role over all dispatches */
  byRole: Record<TensorRole, number>;
}

/** Reads before writes, then inputs, weights, intermediates, outputs. */
function segmentOrder(a: TrafficSegment, b: TrafficSegment): number {
  if (a.direction !== b.direction) return a.direction === 'read' ? -1 : 1;
  return ROLES.indexOf(a.role) - ROLES.indexOf(b.role);
}

export function dispatchBars(cost: StrategyCost): DispatchBar[] {
  return cost.dispatches.map((d) => {
    const key = `${cost.strategy}/${d.name}`;
    const segments: TrafficSegment[] = d.tensors
      .flatMap((t) => [
        { key: `${key}/${t.tensor}/read`, tensor: t.tensor, role: t.role, direction: 'read' as const, bytes: t.bytesRead, offset: 0 },
        { key: `${key}/${t.tensor}/write`, tensor: t.tensor, role: t.role, direction: 'write' as const, bytes: t.bytesWritten, offset: 0 },
      ])
      .filter((s) => s.bytes > 0)
      .sort(segmentOrder);
    let offset = 0;
    for (const s of segments) {
      s.offset = offset;
      offset += s.bytes;
    }
    return { key, name: d.name, flops: d.flops, bytes: d.bytes, intensity: d.flops / d.bytes, segments };
  });
}

export function strategyTraffic(cost: StrategyCost): StrategyTraffic {
  const byRole = { input: 0, weight: 0, intermediate: 0, output: 0 };
  for (const d of cost.dispatches) for (const t of d.tensors) byRole[t.role] += t.bytesRead + t.bytesWritten;
  return { strategy: cost.strategy, cost, bars: dispatchBars(cost), byRole };
}

/** Every strategy of the problem's structure, in STRATEGIES order. */
export function allStrategyTraffic(problem: Problem, adapter?: PlanLimits): StrategyTraffic[] {
  return STRATEGIES[problem.structure.kind].map((s) => strategyTraffic(strategyCost(problem, s, adapter)));
}

/** Where each bar and segment of the chosen strategy sits; rows of other strategies have height 0. */
export interface TrafficLayout {
  rows: Record<string, { y: number; height: number }>;
  segments: Record<string, { y: number; height: number; x0: number; x1: number }>;
  height: number;
}

/**
 * Rows for the dispatches of every strategy, stacked in order; the chosen strategy's rows get
 * `rowHeight`, the others 0, so tweening between two layouts grows and shrinks the right rows.
 * x is in bytes.
 */
export function trafficLayout(all: StrategyTraffic[], chosen: Strategy, rowHeight: number, gap: number): TrafficLayout {
  const layout: TrafficLayout = { rows: {}, segments: {}, height: 0 };
  let y = 0;
  for (const st of all) {
    const on = st.strategy === chosen;
    for (const bar of st.bars) {
      const height = on ? rowHeight : 0;
      layout.rows[bar.key] = { y, height };
      for (const s of bar.segments) layout.segments[s.key] = { y, height, x0: on ? s.offset : 0, x1: on ? s.offset + s.bytes : 0 };
      y += on ? rowHeight + gap : 0;
    }
  }
  layout.height = Math.max(0, y - gap);
  return layout;
}

type Box = TrafficLayout['segments'][string];

/**
 * Interpolates between two layouts, returning a new object at every t (a tween keeps the
 * object it is given, so one mutated in place would never redraw). Rows and segments new in
 * `b` grow from zero height where they will be; those only in `a` are dropped.
 */
export function interpolateLayout(a: TrafficLayout, b: TrafficLayout): (t: number) => TrafficLayout {
  const mix = (x: number, y: number, t: number) => x + (y - x) * t;
  const from = <T extends { height: number }>(old: T | undefined, target: T): T => old ?? { ...target, height: 0 };
  return (t) => {
    const rows: TrafficLayout['rows'] = {};
    for (const [key, to] of Object.entries(b.rows)) {
      const f = from(a.rows[key], to);
      rows[key] = { y: mix(f.y, to.y, t), height: mix(f.height, to.height, t) };
    }
    const segments: TrafficLayout['segments'] = {};
    for (const [key, to] of Object.entries(b.segments)) {
      const f: Box = from(a.segments[key], to);
      segments[key] = { y: mix(f.y, to.y, t), height: mix(f.height, to.height, t), x0: mix(f.x0, to.x0, t), x1: mix(f.x1, to.x1, t) };
    }
    return { rows, segments, height: mix(a.height, b.height, t) };
  };
}

/** The largest bytes of one dispatch over all strategies: a shared scale keeps bars comparable. */
export function maxDispatchBytes(all: StrategyTraffic[]): number {
  return Math.max(1, ...all.flatMap((st) => st.bars.map((b) => b.bytes)));
}
