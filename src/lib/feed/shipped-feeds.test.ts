/** The feeds in public/feeds/: valid, and the default one true to its sources (the paper's cost model and kernel runs in fixtures). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS, findLayer } from '../presets';
import { parseFeed } from './parse';
import type { FeedDocument } from './schema';

const FEEDS_DIR = new URL('../../../public/feeds/', import.meta.url);
const DEFAULT_FEED = new URL('default.json', FEEDS_DIR);
const fixture = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

function loadDefault(): FeedDocument {
  const r = parseFeed(readFileSync(DEFAULT_FEED, 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.feed;
}

const PAPER_DEVICES = ['nvidia-jetson-orin-nano-8gb', 'nvidia-a40'];
const H100 = 'nvidia-h100-80gb-hbm3';

describe('shipped feeds', () => {
  const files = readdirSync(FEEDS_DIR).filter((f) => f.endsWith('.json'));

  it('include default.json', () => expect(files).toContain('default.json'));

  it.each(files)('%s is a valid blr-feed/1 document', (file) => {
    const r = parseFeed(readFileSync(new URL(file, FEEDS_DIR), 'utf8'));
    expect(r.ok ? 'ok' : r.error).toBe('ok');
  });
});

describe('default feed', () => {
  const feed = loadDefault();

  it('stays under 1.5 MB and quotes the paper headline with its source', () => {
    // Fetched after first paint, so its size does not delay the page; well under the 5 MB feed cap.
    expect(statSync(DEFAULT_FEED).size).toBeLessThan(1_500_000);
    expect(feed.notes?.join(' ')).toContain('up to 3.76x speedup and 3x model size compression vs PyTorch dense on Jetson Orin Nano and A40 (arXiv:2512.20861, abstract)');
  });

  it("lists the paper's devices with device.py's ceilings (GiB/s, bf16 FLOP/s)", () => {
    const byId = Object.fromEntries(feed.devices.map((d) => [d.id, d]));
    expect(byId['nvidia-jetson-orin-nano-8gb']).toMatchObject({ kind: 'edge-gpu', peakBandwidthGiBs: 68.29, peakFlops: { bf16: 10e12 } });
    expect(byId['nvidia-a40']).toMatchObject({ kind: 'datacenter-gpu', peakBandwidthGiBs: 696, peakFlops: { bf16: 149.7e12 } });
    expect(byId[H100]).toMatchObject({ name: 'NVIDIA H100 80GB HBM3' });
  });

  const modelled = (device: string) => feed.results.filter((r) => r.device === device && r.implementation === 'cost-model');

  it('labels every cost-model row as such, never as measured', () => {
    for (const r of feed.results) {
      const isModel = r.implementation === 'cost-model';
      expect(isModel).toBe(r.provenance.kind === 'paper-cost-model');
      if (isModel) {
        expect(PAPER_DEVICES).toContain(r.device);
        expect(r.provenance.source).toMatch(/^modelled, not measured/);
      }
    }
  });

  it('has a cost-model row for both paper devices at every preset layer and token count', () => {
    for (const device of PAPER_DEVICES) {
      const rows = modelled(device);
      expect(rows).toHaveLength(835);
      for (const p of PRESETS) {
        for (const l of p.layers) {
          const tokens = new Set(rows.filter((r) => r.preset === p.id && r.layer === l.id).map((r) => r.shape.tokens));
          expect([...tokens].sort((a, b) => a - b)).toEqual([...new Set([1, 16, 128, 1024, l.tokens])].sort((a, b) => a - b));
        }
      }
    }
  });

  it("holds the CSV's bytes, FLOPs and modelled times (within the CSV's 1e-5 ms rounding plus ours to 1e-6 ms), row for row", () => {
    const [header, ...lines] = fixture('../cost/fixtures/roofline_model_derived.csv').trim().split(/\r?\n/);
    const col = header.split(',');
    const csv = lines.map((line) => {
      const cells = line.split(',');
      return (name: string) => Number(cells[col.indexOf(name)]);
    });
    const columns: Record<string, string> = { 'nvidia-jetson-orin-nano-8gb': 't_ms_JetsonOrinNano8GB_model', 'nvidia-a40': 't_ms_A40_model' };
    for (const device of PAPER_DEVICES) {
      modelled(device).forEach((r, i) => {
        expect(Math.abs(r.latency.medianMs - csv[i](columns[device]))).toBeLessThanOrEqual(5.6e-6);
        expect([r.shape.tokens, r.bytes, r.flops]).toEqual([csv[i]('tokens'), csv[i]('bytes'), csv[i]('flops')]);
      });
    }
  });

  it('holds the 21 H100 measurements of fixtures/h100-paper-kernels.jsonl exactly as recorded', () => {
    const PAPER_KERNELS_RUN = 'PyTorch 2.11 / Triton 3.6 run';
    const rows = feed.results.filter((r) => r.device === H100 && r.provenance.source.startsWith(PAPER_KERNELS_RUN));
    const recorded = fixture('./fixtures/h100-paper-kernels.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { tokens: number; ms: Record<string, number> });
    const expected = recorded.flatMap((row) => Object.values(row.ms).map((ms) => [row.tokens, ms]));
    expect(rows.map((r) => [r.shape.tokens, r.latency.medianMs])).toEqual(expected);
    for (const r of rows) {
      expect(r.provenance).toMatchObject({ kind: 'pytorch', source: expect.stringContaining('PyTorch 2.11 / Triton 3.6 run, triton.testing.do_bench median') });
      expect(['cublas', 'torch-eager', 'torch-compile', 'triton-paper']).toContain(r.implementation);
    }
    expect(rows.filter((r) => r.dtype === 'f32').every((r) => r.implementation === 'cublas' && r.structure.kind === 'dense')).toBe(true);
  });

  it('holds the WGSL H100 and H200 runs; only the H200 with the ceilings its run measured (the H100 ones were timed at idle clocks)', () => {
    for (const device of [H100, 'nvidia-h200']) {
      const wgsl = feed.results.filter((r) => r.device === device && r.implementation === 'wgsl-dawn');
      expect(new Set(wgsl.map((r) => r.dtype))).toEqual(new Set(['f32', 'f16']));
      expect(wgsl.every((r) => r.provenance.kind === 'blr-bench' && r.preset === 'llama-7b')).toBe(true);
    }
    expect(feed.devices.find((d) => d.id === H100)?.measured).toBeUndefined();
    expect(feed.devices.find((d) => d.id === 'nvidia-h200')?.measured?.f32GFlops).toBeGreaterThan(50_000);
  });

  it("gives every preset row the preset's own shape", () => {
    for (const r of feed.results) {
      if (!r.preset) continue;
      const layer = findLayer(r.preset, r.layer ?? '');
      expect(layer, `${r.preset}/${r.layer}`).toBeDefined();
      expect([r.shape.m, r.shape.n]).toEqual([layer!.m, layer!.n]);
    }
  });
});
