/** What the page says about the timer behind its figures: which clock, its step, runs a sample. */
import { describeSampling, formatStep } from '../../lib/gpu/timing';
import type { PointTiming, SweepPoint } from '../../worker/protocol';

/** A step this coarse is a browser's rounding, not the GPU's clock. */
const ROUNDED_MS = 0.01;

const CLOCK: Record<PointTiming['timer'], string> = {
  'timestamp-query': 'GPU timestamps',
  'cpu-submit': 'the wall clock around submit and completion',
  'cpu-clock': 'the wall clock of the f64 CPU reference',
};

/** The timer of one timing, e.g. 'Timer: GPU timestamps in 100 µs steps, 64 runs a sample. …' */
export function timerNote(t: PointTiming): string {
  if (t.timer === 'cpu-clock') return 'Timer: the wall clock of the f64 CPU reference in the worker, not a GPU kernel.';
  const sampling = t.resolutionMs !== undefined && t.runsPerSample !== undefined ? describeSampling({ resolutionMs: t.resolutionMs, runsPerSample: t.runsPerSample }) : null;
  const parts = [`Timer: ${CLOCK[t.timer]}${sampling ? ` in ${sampling}` : ''}.`];
  if (t.runsPerSample !== undefined && t.runsPerSample > 1) {
    parts.push(`Each sample times ${t.runsPerSample} runs back to back and divides by ${t.runsPerSample}, so that it spans at least 50 of the timer's steps.`);
  }
  if (t.timer === 'timestamp-query' && t.resolutionMs !== undefined && t.resolutionMs >= ROUNDED_MS) {
    parts.push(`The browser rounds GPU timestamps to ${formatStep(t.resolutionMs)}; in Chrome, chrome://flags/#enable-webgpu-developer-features turns that off.`);
  }
  if (t.timer === 'cpu-submit') parts.push('This adapter has no timestamp-query, so each sample also holds a submission’s round trip.');
  return parts.join(' ');
}

/** The timers of a sweep's points in one line, e.g. 'GPU timestamps in 1 ns steps, 1–64 runs a sample'; null before any point is timed. */
export function sweepTimerNote(points: SweepPoint[]): string | null {
  const timed = points.flatMap((p) => (p.timing ? [p.timing] : []));
  if (!timed.length) return null;
  const clocks = [...new Set(timed.map((t) => t.timer))].map((k) => CLOCK[k]).join(' and ');
  const steps = [...new Set(timed.flatMap((t) => (t.resolutionMs === undefined ? [] : [formatStep(t.resolutionMs)])))];
  const runs = timed.flatMap((t) => (t.runsPerSample === undefined ? [] : [t.runsPerSample]));
  if (!runs.length) return `Timer: ${clocks}.`;
  const [lo, hi] = [Math.min(...runs), Math.max(...runs)];
  const k = lo === hi ? `${lo}` : `${lo}–${hi}`;
  return `Timer: ${clocks} in ${steps.join(' and ')} steps, ${k} run${hi === 1 ? '' : 's'} a sample.`;
}
