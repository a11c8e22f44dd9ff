/**
 * Committed files that scripts generate are what the scripts generate now: the default feed
 * (scripts/build-default-feed.ts), docs/results.md and README.md's headline table
 * (scripts/build-results.ts). A feed added or re-measured without regenerating fails here.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDefaultFeed, DEFAULT_FEED, MEASURED_FEEDS, newest } from './build-default-feed';
import { FEEDS_DIR, HEADLINE_BEGIN, HEADLINE_END, README, renderHeadline, renderResults, RESULTS_DOC, withHeadline } from './build-results';
import { readFeedFile } from './feed-file';

const REGENERATE = 'run `npm run generate` and commit what it writes';

/** Where two texts first differ, as "line N, column C: committed … / generated …" (undefined when equal). */
function firstDifference(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined;
  const a = committed.split('\n');
  const b = generated.split('\n');
  let line = a.findIndex((text, k) => text !== b[k]);
  if (line < 0) line = a.length;
  const [x, y] = [a[line] ?? '', b[line] ?? ''];
  let col = 0;
  while (col < x.length && x[col] === y[col]) col++;
  const around = (s: string) => s.slice(Math.max(0, col - 40), col + 40);
  return `line ${line + 1}, column ${col + 1}: committed …${around(x)}… / generated …${around(y)}…`;
}

function expectCurrent(file: string, committed: string, generated: string): void {
  const diff = firstDifference(committed, generated);
  if (diff) throw new Error(`${file} is stale, ${diff}: ${REGENERATE}`);
}

describe('public/feeds/default.json', () => {
  const built = buildDefaultFeed();

  it('is what scripts/build-default-feed.ts builds from its fixtures and MEASURED_FEEDS', () => {
    expectCurrent('public/feeds/default.json', readFileSync(DEFAULT_FEED, 'utf8'), built.text);
  });

  it('takes its time from its inputs, not the clock, so building twice gives the same bytes', () => {
    const inputs = MEASURED_FEEDS.map((file) => readFeedFile(new URL(file, FEEDS_DIR)).generated);
    expect(built.feed.generated).toBe(newest(inputs));
    expect(buildDefaultFeed().text).toBe(built.text);
  });

  it('carries every result of every measured feed it lists', () => {
    for (const file of MEASURED_FEEDS) {
      const feed = readFeedFile(new URL(file, FEEDS_DIR));
      const shipped = new Set(built.feed.results.map((r) => JSON.stringify(r)));
      expect(feed.results.filter((r) => !shipped.has(JSON.stringify(r))), file).toEqual([]);
    }
  });
});

describe('docs/results.md and the README headline', () => {
  it('docs/results.md is what scripts/build-results.ts writes from public/feeds/', () => {
    expectCurrent('docs/results.md', readFileSync(RESULTS_DOC, 'utf8'), renderResults());
  });

  it("README.md's headline table is what scripts/build-results.ts writes from public/feeds/", () => {
    const readme = readFileSync(README, 'utf8');
    expect(readme).toContain(HEADLINE_BEGIN);
    expect(readme).toContain(HEADLINE_END);
    expectCurrent('README.md', readme, withHeadline(readme, renderHeadline()));
  });

  describe('follow the feeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'blr-feeds-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a re-measured point changes the tables that show it', () => {
      cpSync(new URL('.', FEEDS_DIR), dir, { recursive: true });
      const path = join(dir, 'h200-wgsl-f32.json');
      const feed = JSON.parse(readFileSync(path, 'utf8'));
      const dense = feed.results.find((r: { layer: string; shape: { tokens: number }; structure: { kind: string } }) => r.layer === 'qkvo_proj' && r.shape.tokens === 1024 && r.structure.kind === 'dense');
      dense.latency.medianMs = 0.5;
      writeFileSync(path, JSON.stringify(feed));
      const feeds = pathToFileURL(`${dir}/`);
      expect(renderResults(feeds)).not.toBe(renderResults());
      expect(renderResults(feeds)).toContain('| f32 | dense | tiled | 0.5000 |');
      expect(renderHeadline(feeds)).toMatch(/\| qkvo_proj \(4096 → 4096\) \| 1024 \| [\d.]+ \| 0\.500 \|/);
    });
  });
});
