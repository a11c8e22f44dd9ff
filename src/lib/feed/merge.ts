import type { FeedDevice, FeedDocument, FeedResult } from './schema';

/** A result with the feed it came from (a URL, or 'default' for the bundled feed). */
export type MergedResult = FeedResult & { origin: string };

export interface FeedSource {
  origin: string;
  generated: string;
  generator: string;
  title?: string;
  notes?: string[];
}

export interface MergedFeeds {
  sources: FeedSource[];
  devices: FeedDevice[];
  results: MergedResult[];
}

/** Concatenates feeds in order; a device id seen before keeps its first description. */
export function mergeFeeds(feeds: { origin: string; feed: FeedDocument }[]): MergedFeeds {
  const sources: FeedSource[] = [];
  const devices = new Map<string, FeedDevice>();
  const results: MergedResult[] = [];
  for (const { origin, feed } of feeds) {
    const { generated, generator, title, notes } = feed;
    sources.push({ origin, generated, generator, ...(title !== undefined ? { title } : {}), ...(notes !== undefined ? { notes } : {}) });
    for (const d of feed.devices) if (!devices.has(d.id)) devices.set(d.id, d);
    for (const r of feed.results) results.push({ ...r, origin });
  }
  return { sources, devices: [...devices.values()], results };
}
