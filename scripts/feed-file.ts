/** Reads a feed file for the scripts; a file our own loader refuses stops them, naming the file. */
import { readFileSync } from 'node:fs';
import { parseFeed, type FeedDocument } from '../src/lib/feed';

export function readFeedFile(path: string | URL): FeedDocument {
  const parsed = parseFeed(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.error}`);
  return parsed.feed;
}
