import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseFeed, parseFeedInSlices } from './parse';

/** A small valid feed; each bad case below breaks one thing in a fresh copy. */
function validFeed(): Record<string, any> {
  return {
    schema: 'blr-feed/1',
    generated: '2026-01-17T10:00:00Z',
    generator: 'test',
    devices: [{ id: 'gpu', name: 'Test GPU', kind: 'desktop-gpu', peakBandwidthGiBs: 100, peakFlops: { f32: 1e13 } }],
    results: [
      {
        device: 'gpu',
        shape: { m: 64, n: 32, tokens: 8 },
        structure: { kind: 'monarch', blocks: 4, rank: 16 },
        strategy: 'partial',
        implementation: 'wgsl-dawn',
        dtype: 'f32',
        latency: { medianMs: 0.5, p10Ms: 0.4, p90Ms: 0.6, samples: 30 },
        provenance: { kind: 'blr-bench', source: 'test run', command: 'blr bench --m 64 --n 32' },
      },
    ],
  };
}

function errorOf(text: string, maxBytes?: number): string {
  const r = parseFeed(text, maxBytes);
  if (r.ok) throw new Error('expected a refusal, the feed was accepted');
  return r.error;
}

const broken = (edit: (f: Record<string, any>) => void): string => {
  const f = validFeed();
  edit(f);
  return JSON.stringify(f);
};

afterEach(() => vi.restoreAllMocks());

describe('parseFeed accepts', () => {
  it('a minimal feed', () => {
    const r = parseFeed(JSON.stringify(validFeed()));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.feed.results[0].structure).toEqual({ kind: 'monarch', blocks: 4, rank: 16 });
  });

  it('every optional field, native strategies and an empty result list', () => {
    const f = validFeed();
    f.title = 'H100 runs';
    f.notes = ['measured with Dawn, timestamp quantization off'];
    f.devices[0] = {
      ...f.devices[0],
      memoryGiB: 80,
      peakFlops: { f32: 6.7e13, f16: 9.9e14, bf16: 9.9e14 },
      measured: { bandwidthGBs: 2900, f32GFlops: 40000, f16GFlops: 150000 },
      adapter: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' },
    };
    f.results[0].steps = [{ name: 'stage1-gemm', medianMs: 0.2 }, { name: 'stage2-gemm (split-K ×4 reduce)', medianMs: 0.01, runsPerSample: 500 }];
    f.results[0].latency = { ...f.results[0].latency, runsPerSample: 16, timerResolutionMs: 0.1 };
    f.results.push({ ...f.results[0], structure: { kind: 'dense' }, strategy: 'native', implementation: 'cublas', dtype: 'bf16', preset: 'llama-7b', layer: 'qkvo_proj', bytes: 1, flops: 2, achievedGBs: 3, achievedGFlops: 4 });
    expect(parseFeed(JSON.stringify(f))).toMatchObject({ ok: true });
    expect(parseFeed(JSON.stringify({ ...validFeed(), results: [] }))).toMatchObject({ ok: true });
  });
});

describe('parseFeed refuses, naming the reason and the field', () => {
  const cases: [string, string, string][] = [
    ['wrong version', broken((f) => (f.schema = 'blr-feed/2')), 'schema: must be "blr-feed/1"'],
    ['no version', broken((f) => delete f.schema), 'schema: is missing'],
    ['not an object', '[1, 2]', 'feed: must be an object'],
    ['missing generated', broken((f) => delete f.generated), 'generated: is missing'],
    ['generated not ISO-8601', broken((f) => (f.generated = 'yesterday')), 'generated: must be an ISO-8601 date and time'],
    ['missing results', broken((f) => delete f.results), 'results: is missing'],
    ['missing device name', broken((f) => delete f.devices[0].name), 'devices[0].name: is missing'],
    ['missing median', broken((f) => delete f.results[0].latency.medianMs), 'results[0].latency.medianMs: is missing'],
    ['missing provenance', broken((f) => delete f.results[0].provenance), 'results[0].provenance: is missing'],
    ['missing Monarch rank', broken((f) => delete f.results[0].structure.rank), 'results[0].structure.rank: is missing'],
    ['empty device id', broken((f) => (f.devices[0].id = '')), 'devices[0].id: must not be empty'],
    ['a list where an object belongs', broken((f) => (f.results[0].latency = [0.5])), 'results[0].latency: must be an object (got Array)'],
    ['devices not a list', broken((f) => (f.devices = {})), 'devices: must be a list of devices'],
    ['m as a string', broken((f) => (f.results[0].shape.m = '64')), 'results[0].shape.m: must be a whole number from 1 to 65536 (got "64")'],
    ['fractional tokens', broken((f) => (f.results[0].shape.tokens = 1.5)), 'results[0].shape.tokens: must be a whole number from 1 to 65536'],
    ['unknown structure', broken((f) => (f.results[0].structure.kind = 'sparse')), 'results[0].structure.kind: must be one of dense, lowrank, monarch, blast'],
    ['unknown strategy', broken((f) => (f.results[0].strategy = 'turbo')), 'results[0].strategy: must be one of tiled, unfused, partial, fused, perm-fused, native'],
    ['strategy of another structure', broken((f) => (f.results[0].structure = { kind: 'dense' })), 'results[0].strategy: must be native or a dense strategy: tiled (got "partial")'],
    ['unknown implementation', broken((f) => (f.results[0].implementation = 'cuda')), 'results[0].implementation: must be one of'],
    ['unknown dtype', broken((f) => (f.results[0].dtype = 'f64')), 'results[0].dtype: must be one of f32, f16, bf16'],
    ['unknown device kind', broken((f) => (f.devices[0].kind = 'tpu')), 'devices[0].kind: must be one of'],
    ['unknown provenance kind', broken((f) => (f.results[0].provenance.kind = 'rumour')), 'results[0].provenance.kind: must be one of'],
    ['knob a dense layer lacks', broken((f) => (f.results[0].structure = { kind: 'dense', blocks: 4 })), 'results[0].structure.blocks: is not a field of blr-feed/1'],
    ['unknown field', broken((f) => (f.results[0].medianMs = 1)), 'results[0].medianMs: is not a field of blr-feed/1'],
    ['negative latency', broken((f) => (f.results[0].latency.medianMs = -1)), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got -1)'],
    ['zero latency', broken((f) => (f.results[0].latency.medianMs = 0)), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got 0)'],
    ['"NaN" latency', broken((f) => (f.results[0].latency.medianMs = 'NaN')), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got "NaN")'],
    ['NaN literal (not JSON)', JSON.stringify(validFeed()).replace('"medianMs":0.5', '"medianMs":NaN'), 'feed: is not valid JSON'],
    ['infinite latency (1e999)', JSON.stringify(validFeed()).replace('"medianMs":0.5', '"medianMs":1e999'), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got Infinity)'],
    ['negative p90', broken((f) => (f.results[0].latency.p90Ms = -0.1)), 'results[0].latency.p90Ms: must be a number from 1e-6 to 1e7'],
    ['zero samples', broken((f) => (f.results[0].latency.samples = 0)), 'results[0].latency.samples: must be a whole number from 1 to 1e9'],
    ['zero runs a sample', broken((f) => (f.results[0].latency.runsPerSample = 0)), 'results[0].latency.runsPerSample: must be a whole number from 1 to 1e9'],
    ['a fractional runs a sample', broken((f) => (f.results[0].steps = [{ name: 'gemm', medianMs: 1, runsPerSample: 1.5 }])), 'results[0].steps[0].runsPerSample: must be a whole number from 1 to 1e9'],
    ['a timer of no resolution', broken((f) => (f.results[0].latency.timerResolutionMs = 0)), 'results[0].latency.timerResolutionMs: must be a number from 1e-6 to 1e7 (got 0)'],
    ['steps not a list', broken((f) => (f.results[0].steps = { name: 'gemm', medianMs: 1 })), 'results[0].steps: must be a list of steps'],
    ['a step without a time', broken((f) => (f.results[0].steps = [{ name: 'gemm' }])), 'results[0].steps[0].medianMs: is missing'],
    ['a step with a negative time', broken((f) => (f.results[0].steps = [{ name: 'gemm', medianMs: 1 }, { name: 'reduce', medianMs: -1 }])), 'results[0].steps[1].medianMs: must be a number from 1e-6 to 1e7 (got -1)'],
    ['a step without a name', broken((f) => (f.results[0].steps = [{ name: '', medianMs: 1 }])), 'results[0].steps[0].name: must not be empty'],
    ['negative bytes', broken((f) => (f.results[0].bytes = -5)), 'results[0].bytes: must be a number from 0 to 1e18 (got -5)'],
    ['negative memory', broken((f) => (f.devices[0].memoryGiB = -8)), 'devices[0].memoryGiB: must be a number from 0 to 1e6'],
    ['negative peak FLOP/s', broken((f) => (f.devices[0].peakFlops.f32 = -1)), 'devices[0].peakFlops.f32: must be a number from 0 to 1e19'],
    ['HTML in a device name', broken((f) => (f.devices[0].name = '<img src=x onerror=alert(1)>')), 'devices[0].name: must not contain < or >'],
    ['HTML in a provenance source', broken((f) => (f.results[0].provenance.source = 'run </script>')), 'results[0].provenance.source: must not contain < or >'],
    ['HTML in the title', broken((f) => (f.title = '<b>fast</b>')), 'title: must not contain < or >'],
    ['HTML in a note', broken((f) => (f.notes = ['fine', 'a > b'])), 'notes[1]: must not contain < or >'],
    ['HTML in an adapter field', broken((f) => (f.devices[0].adapter = { vendor: '<svg onload=x>' })), 'devices[0].adapter.vendor: must not contain < or >'],
    ['unknown device reference', broken((f) => (f.results[0].device = 'ghost')), 'results[0].device: "ghost" is not a devices[].id of this feed (known: gpu)'],
    ['a device listed twice', broken((f) => f.devices.push({ ...f.devices[0] })), 'devices[1].id: "gpu" is listed twice'],
    ['JSON syntax', '{"schema": "blr-feed/1",', 'feed: is not valid JSON'],
    // Physical bounds (LIMITS): what the page divides by or draws stays finite.
    ['a date Date.parse cannot read', broken((f) => (f.generated = '2026-01-17T10:00:00+05')), 'generated: must be an ISO-8601 date and time with a full time-zone offset'],
    ['a 300-digit latency', broken((f) => (f.results[0].latency.medianMs = 1e308)), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got 1e+308)'],
    ['a subnormal latency', broken((f) => (f.results[0].latency.medianMs = 5e-324)), 'results[0].latency.medianMs: must be a number from 1e-6 to 1e7 (got 5e-324)'],
    ['b past LIMITS.blocks', broken((f) => (f.results[0].structure = { kind: 'blast', blocks: 4096, rank: 4096 })), 'results[0].structure.blocks: must be a whole number from 1 to 64'],
    ['m past LIMITS.size', broken((f) => (f.results[0].shape.m = 16777216)), 'results[0].shape.m: must be a whole number from 1 to 65536'],
    ['a bandwidth of 1e300 GiB/s', broken((f) => (f.devices[0].peakBandwidthGiBs = 1e300)), 'devices[0].peakBandwidthGiBs: must be a number from 0 to 1e6'],
    ['more results than LIMITS.feedResults', broken((f) => (f.results = Array(20_001).fill(0))), 'results: must have at most 20000 items (got 20001)'],
    ['more devices than LIMITS.feedDevices', broken((f) => (f.devices = Array.from({ length: 65 }, (_, i) => ({ ...f.devices[0], id: `d${i}` })))), 'devices: must have at most 64 items'],
  ];

  it.each(cases)('%s', async (_, text, expected) => {
    expect(errorOf(text)).toContain(expected);
    expect(await parseFeedInSlices(text, undefined, async () => {})).toEqual(parseFeed(text));
  });

  it('says how many more problems there are', () => {
    const text = broken((f) => {
      f.results[0].latency.medianMs = -1;
      f.results[0].dtype = 'f64';
    });
    expect(errorOf(text)).toMatch(/^results\[0\]\.dtype: .*\(and 1 more problem\)$/);
  });

  it('a 10 MB document, by its size and without parsing it', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const huge = JSON.stringify({ ...validFeed(), title: 'x'.repeat(10_000_000) });
    expect(errorOf(huge)).toMatch(/^feed: is over the 5000000-byte limit/);
    expect(parse).not.toHaveBeenCalled();
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const f = validFeed();
    f.title = 'é'.repeat(300);
    const text = JSON.stringify(f);
    expect(parseFeed(text, text.length + 10).ok).toBe(false);
    expect(errorOf(text, text.length + 10)).toMatch(/^feed: is over the \d+-byte limit \(\d+ bytes\)$/);
    expect(parseFeed(text, text.length + 300).ok).toBe(true);
  });
});

describe('parseFeedInSlices', () => {
  it('reads a large feed in slices, pausing between them, to the same result as parseFeed', async () => {
    const f = validFeed();
    f.results = Array.from({ length: 5000 }, (_, i) => ({ ...structuredClone(f.results[0]), shape: { m: 64, n: 32, tokens: 1 + i } }));
    const text = JSON.stringify(f);
    let pauses = 0;
    const sliced = await parseFeedInSlices(text, undefined, async () => void pauses++);
    expect(pauses).toBeGreaterThanOrEqual(20);
    expect(sliced).toEqual(parseFeed(text));
    expect(sliced.ok && sliced.feed.results).toHaveLength(5000);
    f.results[4321].latency.medianMs = -1;
    f.results[4999].dtype = 'f64';
    const bad = JSON.stringify(f);
    expect(await parseFeedInSlices(bad, undefined, async () => {})).toEqual({ ok: false, error: 'results[4321].latency.medianMs: must be a number from 1e-6 to 1e7 (got -1) (and 1 more problem)' });
    expect(parseFeed(bad)).toEqual(await parseFeedInSlices(bad, undefined, async () => {}));
  });
});
