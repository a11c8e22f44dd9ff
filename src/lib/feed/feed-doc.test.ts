import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_FILE, FEED_FILE, feedFigures, withFigures } from '../../../scripts/feed-doc';

describe('docs/feed.md', () => {
  it('gives the default feed\'s figures as the file has them (npx tsx scripts/feed-doc.ts rewrites them)', () => {
    const doc = readFileSync(DOC_FILE, 'utf8');
    expect(doc).toBe(withFigures(doc, feedFigures(readFileSync(FEED_FILE, 'utf8'))));
  });

  it('counts devices and results from the file, not from the prose', () => {
    const block = feedFigures(JSON.stringify({ schema: 'blr-feed/1', generated: '2026-01-17T10:00:00Z', generator: 'test', devices: [], results: [] }));
    expect(block).toContain('As built: 0 devices, 0 results,');
  });
});
