import { describe, expect, it } from 'vitest';
import type { PointTiming, SweepPoint } from '../../worker/protocol';
import { sweepTimerNote, timerNote } from './timer';

const gpu = (over: Partial<PointTiming>): PointTiming => ({ backend: 'webgpu', medianMs: 0.02, p10Ms: 0.02, p90Ms: 0.02, samples: 30, timer: 'timestamp-query', ...over });

describe('timerNote', () => {
  it('names the clock, its step and the runs a sample', () => {
    expect(timerNote(gpu({ resolutionMs: 1e-6, runsPerSample: 1 }))).toBe('Timer: GPU timestamps in 1 ns steps, 1 run a sample.');
  });

  it('says why a sample holds many runs, and how Chrome stops rounding timestamps', () => {
    const note = timerNote(gpu({ resolutionMs: 0.1, runsPerSample: 256 }));
    expect(note).toMatch(/^Timer: GPU timestamps in 100 µs steps, 256 runs a sample\. Each sample times 256 runs back to back and divides by 256/);
    expect(note).toContain('rounds GPU timestamps to 100 µs; in Chrome, chrome://flags/#enable-webgpu-developer-features turns that off.');
  });

  it('says the wall clock holds a round trip', () => {
    expect(timerNote(gpu({ timer: 'cpu-submit', resolutionMs: 0.1, runsPerSample: 40 }))).toMatch(/^Timer: the wall clock around submit and completion in 100 µs steps, 40 runs a sample\. .* no timestamp-query/);
  });

  it('names the CPU reference for what it is', () => {
    expect(timerNote({ backend: 'cpu-reference', medianMs: 3, p10Ms: 3, p90Ms: 3, samples: 5, timer: 'cpu-clock' })).toMatch(/f64 CPU reference/);
  });
});

describe('sweepTimerNote', () => {
  const point = (timing?: PointTiming): SweepPoint => ({ structure: { kind: 'dense' }, strategy: 'tiled', tokens: 1, ...(timing ? { timing } : { error: 'x' }) });

  it('gives the range of runs a sample over the points timed', () => {
    const points = [point(gpu({ resolutionMs: 0.1, runsPerSample: 1 })), point(), point(gpu({ resolutionMs: 0.1, runsPerSample: 64 }))];
    expect(sweepTimerNote(points)).toBe('Timer: GPU timestamps in 100 µs steps, 1–64 runs a sample.');
    expect(sweepTimerNote([points[0]])).toBe('Timer: GPU timestamps in 100 µs steps, 1 run a sample.');
  });

  it('is absent before a point is timed', () => {
    expect(sweepTimerNote([point()])).toBeNull();
  });
});
