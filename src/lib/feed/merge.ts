import type { FeedDevice, FeedDocument, FeedResult } from './schema';

/**
 * A device of one feed. Its `id` is unique across the merged feeds: the feed's own id where no
 * earlier feed (or a reserved id) has it, else `<id>@<origin>`; `feedId` keeps the feed's.
 */
export type MergedDevice = FeedDevice & { origin: string; feedId: string };

/** A result with the feed it came from (a URL, or 'default' for the bundled feed); `device` is its MergedDevice's id. */
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
  devices: MergedDevice[];
  results: MergedResult[];
}

/**
 * Concatenates feeds in order. Each feed's devices stay its own: a device id an earlier feed
 * already used (two files of one GPU, or a feed reusing another's id) is qualified by the later
 * feed's origin, so its rows never join the other feed's device. `reserved` ids are taken
 * before any feed's (the page's own GPU).
 */
export function mergeFeeds(feeds: { origin: string; feed: FeedDocument }[], reserved: readonly string[] = []): MergedFeeds {
  const sources: FeedSource[] = [];
  const devices: MergedDevice[] = [];
  const taken = new Set(reserved);
  const results: MergedResult[] = [];
  for (const { origin, feed } of feeds) {
    const { generated, generator, title, notes } = feed;
    sources.push({ origin, generated, generator, ...(title !== undefined ? { title } : {}), ...(notes !== undefined ? { notes } : {}) });
    const keys = new Map<string, string>();
    for (const d of feed.devices) {
      let key = d.id;
      for (let i = 2; taken.has(key); i++) key = `${d.id}@${origin}${i > 2 ? `#${i - 1}` : ''}`;
      taken.add(key);
      keys.set(d.id, key);
      devices.push({ ...d, id: key, origin, feedId: d.id });
    }
    for (const r of feed.results) results.push({ ...r, device: keys.get(r.device) ?? r.device, origin });
  }
  return { sources, devices, results };
}
