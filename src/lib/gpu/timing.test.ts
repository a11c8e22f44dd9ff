import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlanInstance } from './instance';
import { timeSteps } from './timing';

/**
 * A device that runs nothing: each timestamped pass "takes" step + 1 ms plus set µs, from what
 * the instance recorded into it, so the test sees which dispatch and input set each sample is of.
 */
function fakeDevice(querySetSizes: number[]) {
  type Pass = { step?: number; set?: number; end(): void };
  const encoder = () => {
    const passes: Pass[] = [];
    return {
      beginComputePass: () => {
        const pass: Pass = { end() {} };
        passes.push(pass);
        return pass;
      },
      resolveQuerySet() {},
      copyBufferToBuffer(_src: unknown, _srcOffset: number, dst: { ticks?: BigInt64Array }) {
        dst.ticks = new BigInt64Array(passes.flatMap((p) => [0n, BigInt((p.step! + 1) * 1e6 + p.set! * 1e3)]));
      },
      finish: () => ({}),
    };
  };
  return {
    features: new Set(['timestamp-query']),
    createQuerySet: ({ count }: { count: number }) => {
      if (count > 4096) throw new Error(`a query set of ${count}: WebGPU allows 4096`);
      querySetSizes.push(count);
      return { destroy() {} };
    },
    createBuffer: () => {
      const buffer: { ticks?: BigInt64Array; [k: string]: unknown } = {
        mapAsync: async () => {},
        getMappedRange: () => buffer.ticks!.buffer,
        unmap() {},
        destroy() {},
      };
      return buffer;
    },
    createCommandEncoder: encoder,
    queue: { submit() {} },
  };
}

function fakeInstance(device: unknown, steps: number, sets: number) {
  return {
    device,
    sets,
    plan: { steps: Array.from({ length: steps }, (_, i) => ({ name: `step ${i}` })) },
    encodeStep(pass: { step?: number; set?: number }, step: number, set: number) {
      pass.step = step;
      pass.set = set;
    },
  } as unknown as PlanInstance;
}

afterEach(() => vi.unstubAllGlobals());

describe('timeSteps', () => {
  it("gives each dispatch its own samples, cycling the input sets, over several query sets", async () => {
    vi.stubGlobal('GPUBufferUsage', { QUERY_RESOLVE: 1, COPY_SRC: 2, COPY_DST: 4, MAP_READ: 8 });
    vi.stubGlobal('GPUMapMode', { READ: 1 });
    const querySetSizes: number[] = [];
    const inst = fakeInstance(fakeDevice(querySetSizes), 3, 2);
    const samples = await timeSteps(inst, 1500);
    // 4500 passes: three query sets of at most 2048 passes (4096 timestamps)
    expect(querySetSizes).toEqual([4096, 4096, 808]);
    expect(samples!.map((s) => s.length)).toEqual([1500, 1500, 1500]);
    for (const [step, ms] of samples!.entries()) {
      for (const [rep, t] of ms.entries()) expect(t).toBeCloseTo(step + 1 + (rep % 2) / 1000, 9);
    }
  });

  it('times nothing without timestamp queries', async () => {
    const device = { ...fakeDevice([]), features: new Set<string>() };
    expect(await timeSteps(fakeInstance(device, 2, 1), 20)).toBeNull();
  });
});
