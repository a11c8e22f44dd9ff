import * as v from 'valibot';
import { FeedDeviceSchema, FeedDocumentSchema, FeedResultSchema, type FeedDevice, type FeedDocument, type FeedResult } from './schema';

export const DEFAULT_MAX_FEED_BYTES = 5_000_000;

export type ParseFeedResult = { ok: true; feed: FeedDocument } | { ok: false; error: string };

/**
 * Reads a feed document: size, then JSON syntax, then the schema, then the references between
 * results and devices. A refusal names the reason and the field, e.g.
 * "results[3].latency.medianMs: must be a positive number (got -1)".
 */
export function parseFeed(text: string, maxBytes = DEFAULT_MAX_FEED_BYTES): ParseFeedResult {
  const sizeError = checkSize(text, maxBytes);
  if (sizeError) return refuse('feed', sizeError);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return refuse('feed', `is not valid JSON (${(e as Error).message})`);
  }

  const parsed = v.safeParse(FeedDocumentSchema, json);
  if (!parsed.success) return { ok: false, error: issuesText(parsed.issues) };

  const referenceError = checkReferences(parsed.output);
  return referenceError ? { ok: false, error: referenceError } : { ok: true, feed: parsed.output };
}

/**
 * One result of a feed alone, e.g. before a writer adds it to the feed it is building: null
 * when the schema takes it, else the reason, with the path as `results[index]` would have it.
 */
export function checkFeedResult(result: FeedResult, index: number): string | null {
  const parsed = v.safeParse(FeedResultSchema, result);
  return parsed.success ? null : issuesText(parsed.issues, `results[${index}]`);
}

/** One device of a feed alone, as checkFeedResult; `devices[index]` in the path. */
export function checkFeedDevice(device: FeedDevice, index: number): string | null {
  const parsed = v.safeParse(FeedDeviceSchema, device);
  return parsed.success ? null : issuesText(parsed.issues, `devices[${index}]`);
}

/** The first issue with its path (under `prefix`), and how many more there are. */
function issuesText(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]], prefix = ''): string {
  const [first, ...rest] = issues;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  const path = pathOf(first);
  const full = prefix ? (path === 'feed' ? prefix : `${prefix}${path.startsWith('[') ? '' : '.'}${path}`) : path;
  return `${full}: ${first.message}${more}`;
}

/** UTF-8 size; a string longer than the limit in UTF-16 units is over it in bytes too. */
function checkSize(text: string, maxBytes: number): string | null {
  if (text.length > maxBytes) return `is over the ${maxBytes}-byte limit (at least ${text.length} bytes)`;
  const bytes = new TextEncoder().encode(text).byteLength;
  return bytes > maxBytes ? `is over the ${maxBytes}-byte limit (${bytes} bytes)` : null;
}

function checkReferences(feed: FeedDocument): string | null {
  const ids = new Set<string>();
  for (const [i, d] of feed.devices.entries()) {
    if (ids.has(d.id)) return `devices[${i}].id: "${d.id}" is listed twice`;
    ids.add(d.id);
  }
  const known = [...ids].join(', ') || 'none';
  for (const [i, r] of feed.results.entries()) {
    if (!ids.has(r.device)) return `results[${i}].device: "${r.device}" is not a devices[].id of this feed (known: ${known})`;
  }
  return null;
}

/** "results[3].latency.medianMs" from a valibot issue path; "feed" for the document itself. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    out += typeof item.key === 'number' ? `[${item.key}]` : `${out ? '.' : ''}${String(item.key)}`;
  }
  return out || 'feed';
}

function refuse(path: string, message: string): ParseFeedResult {
  return { ok: false, error: `${path}: ${message}` };
}
