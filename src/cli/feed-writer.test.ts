import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as feed from '../lib/feed';
import type { FeedDevice, FeedResult } from '../lib/feed';
import { FeedWriter } from './feed-writer';

const device: FeedDevice = { id: 'gpu', name: 'Test GPU', kind: 'unknown', measured: { bandwidthGBs: 100, f32GFlops: 1000 } };
const now = () => new Date('2026-01-17T10:00:00.000Z');

function result(tokens: number): FeedResult {
  return {
    device: 'gpu',
    shape: { m: 64, n: 32, tokens },
    structure: { kind: 'monarch', blocks: 4, rank: 16 },
    strategy: 'partial',
    implementation: 'wgsl-dawn',
    dtype: 'f32',
    latency: { medianMs: 0.01 * tokens, p10Ms: 0.009 * tokens, p90Ms: 0.011 * tokens, samples: 30, runsPerSample: 64, timerResolutionMs: 0.1 },
    steps: [{ name: 'stage1-gemm', medianMs: 0.004 * tokens, runsPerSample: 128 }],
    provenance: { kind: 'blr-bench', source: 'test', command: 'blr bench --quick' },
  };
}

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'feed-writer-'))));
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe('FeedWriter', () => {
  it('lays the document out as JSON.stringify(document, null, 1) does, empty or not', () => {
    const writer = new FeedWriter(device, 'blr bench', undefined, now);
    const doc = (results: FeedResult[]) => `${JSON.stringify({ schema: 'blr-feed/1', generated: now().toISOString(), generator: 'blr bench', devices: [device], results }, null, 1)}\n`;
    expect(writer.text()).toBe(doc([]));
    writer.add(result(1));
    writer.add(result(16));
    expect(writer.finish()).toBe(doc([result(1), result(16)]));
  });

  it('rewrites the file after every result, so that a sweep stopped early keeps what it measured', () => {
    const out = join(dir, 'feed.json');
    const writer = new FeedWriter(device, 'blr bench', out, now);
    for (const [i, tokens] of [1, 16, 1024].entries()) {
      writer.add(result(tokens));
      const parsed = feed.parseFeed(readFileSync(out, 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.feed.results.map((r) => r.shape.tokens)).toEqual([1, 16, 1024].slice(0, i + 1));
    }
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('checks each result alone when it is added, and the whole document once, at the end', () => {
    const parseFeed = vi.spyOn(feed, 'parseFeed');
    const checkResult = vi.spyOn(feed, 'checkFeedResult');
    const writer = new FeedWriter(device, 'blr bench', join(dir, 'feed.json'), now);
    for (let t = 1; t <= 50; t++) writer.add(result(t));
    expect(checkResult).toHaveBeenCalledTimes(50);
    expect(parseFeed).not.toHaveBeenCalled();
    writer.finish();
    expect(parseFeed).toHaveBeenCalledTimes(1);
  });

  it('refuses a result the schema refuses, naming the field, and keeps the others', () => {
    const out = join(dir, 'feed.json');
    const writer = new FeedWriter(device, 'blr bench', out, now);
    writer.add(result(1));
    const bad = result(2);
    bad.latency.medianMs = 0;
    expect(() => writer.add(bad)).toThrow('the feed would be invalid: results[1].latency.medianMs: must be a number from 1e-6 to 1e7 (got 0)');
    expect(() => writer.add({ ...result(3), device: 'other' })).toThrow(`results[1].device: "other" is not this feed's device "gpu"`);
    writer.add(result(4));
    const parsed = feed.parseFeed(writer.finish());
    expect(parsed.ok && parsed.feed.results.map((r) => r.shape.tokens)).toEqual([1, 4]);
    expect(readFileSync(out, 'utf8')).toBe(writer.text());
  });

  it('refuses a device the schema refuses before anything is measured', () => {
    expect(() => new FeedWriter({ ...device, name: '<b>GPU</b>' }, 'blr bench')).toThrow('devices[0].name: must not contain < or >');
  });
});
