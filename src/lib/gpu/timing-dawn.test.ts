/**
 * The timing module on a real device (Dawn on SwiftShader) without 'timestamp-query', on the
 * wall clock: what it reports, never how fast anything is. GPU timestamps, fine and quantised,
 * are src/cli/cli.test.ts's (blr bench).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDevice } from '../../test/dawn';
import { deviceRequirements } from './device';
import { createEngine, type Engine } from './engine';
import type { Problem } from '../structures/types';

const problem: Problem = { shape: { m: 40, n: 24, tokens: 3 }, structure: { kind: 'monarch', blocks: 4, rank: 8 }, dtype: 'f32' };

describe('a layer timed without timestamp-query', () => {
  let engine: Engine;
  beforeAll(async () => {
    const { adapter, device } = await openTestDevice((a) => ({ ...deviceRequirements(a), requiredFeatures: [] }));
    engine = await createEngine(device, adapter);
  });
  afterAll(() => engine?.destroy());

  it('reports its clock, the clock’s step, the runs a sample and each dispatch alone', async () => {
    const t = await engine.time(problem, 'unfused', { warmup: 1, reps: 4, steps: true });
    expect(t.timer).toBe('cpu-submit');
    expect(t.samples).toBe(4);
    expect(t.medianMs).toBeGreaterThan(0);
    expect(t.resolutionMs).toBeGreaterThan(0);
    expect(Number.isInteger(t.runsPerSample) && t.runsPerSample >= 1).toBe(true);
    expect(t.steps!.map((s) => s.name)).toEqual(t.plan.dispatches.map((d) => d.name));
    for (const s of t.steps!) expect(s.medianMs > 0 && s.runsPerSample >= 1).toBe(true);
  });
});
