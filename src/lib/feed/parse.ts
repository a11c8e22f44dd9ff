import * as v from 'valibot';
import { LIMITS } from '../limits';
import { FeedDocumentSchema, FeedResultSchema, type FeedDocument, type FeedResult } from './schema';

export const DEFAULT_MAX_FEED_BYTES: number = LIMITS.feedBytes;

export type ParseFeedResult = { ok: true; feed: FeedDocument } | { ok: false; error: string };

/** Results checked between two pauses of parseFeedInSlices: a few milliseconds of work. */
const SLICE = 250;

/**
 * Reads a feed document: size, then JSON syntax, then the schema, then the references between
 * results and devices. A refusal names the reason and the field, e.g.
 * "results[3].latency.medianMs: must be a number from 1e-6 to 1e7 (got -1)".
 */
export function parseFeed(text: string, maxBytes = DEFAULT_MAX_FEED_BYTES): ParseFeedResult {
  const steps = readFeed(text, maxBytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * parseFeed in slices of a few milliseconds, pausing with `pause` between them (a page passes
 * a macrotask, so a 20 000-result feed never holds the main thread); the same result.
 */
export async function parseFeedInSlices(text: string, maxBytes = DEFAULT_MAX_FEED_BYTES, pause: () => Promise<void> = nextTask): Promise<ParseFeedResult> {
  const steps = readFeed(text, maxBytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The reading, one slice per step. */
function* readFeed(text: string, maxBytes: number): Generator<void, ParseFeedResult> {
  const sizeError = checkSize(text, maxBytes);
  if (sizeError) return refuse('feed', sizeError);

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return refuse('feed', `is not valid JSON (${(e as Error).message})`);
  }
  yield;

  const doc = isPlainObject(json) ? json : null;
  const results = doc?.results;
  if (!doc || !Array.isArray(results)) return checked(v.safeParse(FeedDocumentSchema, json));
  if (results.length > LIMITS.feedResults) return refuse('results', `must have at most ${LIMITS.feedResults} items (got ${results.length})`);

  // The document without its results, then the results a slice at a time: the same issues, in
  // the same order, as the whole schema finds (results is the document's last field).
  const shell = v.safeParse(FeedDocumentSchema, { ...doc, results: [] });
  const issues: { path: string; message: string }[] = shell.success ? [] : shell.issues.map((i) => ({ path: pathOf(i), message: i.message }));
  const read: FeedResult[] = [];
  for (let start = 0; start < results.length; start += SLICE) {
    if (start > 0) yield;
    for (let i = start; i < Math.min(results.length, start + SLICE); i++) {
      const r = v.safeParse(FeedResultSchema, results[i]);
      if (r.success) read.push(r.output);
      else for (const issue of r.issues) issues.push({ path: `results[${i}]${subPath(issue)}`, message: issue.message });
    }
  }
  if (issues.length > 0 || !shell.success) return refuseWith(issues);
  const feed = { ...shell.output, results: read };
  const referenceError = checkReferences(feed);
  return referenceError ? { ok: false, error: referenceError } : { ok: true, feed };
}

function checked(parsed: v.SafeParseResult<typeof FeedDocumentSchema>): ParseFeedResult {
  if (parsed.success) {
    const referenceError = checkReferences(parsed.output);
    return referenceError ? { ok: false, error: referenceError } : { ok: true, feed: parsed.output };
  }
  return refuseWith(parsed.issues.map((i) => ({ path: pathOf(i), message: i.message })));
}

/** The first problem, and how many more there are. */
function refuseWith(issues: { path: string; message: string }[]): ParseFeedResult {
  const [first, ...rest] = issues;
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  return refuse(first.path, first.message + more);
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** UTF-8 size; a string longer than the limit in UTF-16 units is over it in bytes too. */
function checkSize(text: string, maxBytes: number): string | null {
  if (text.length > maxBytes) return `is over the ${maxBytes}-byte limit (at least ${text.length} bytes)`;
  if (text.length * 3 <= maxBytes) return null;
  const bytes = utf8Length(text);
  return bytes > maxBytes ? `is over the ${maxBytes}-byte limit (${bytes} bytes)` : null;
}

/** UTF-8 bytes of `text`, counted without encoding it (a copy of megabytes, in one task). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
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
  return subPath(issue).replace(/^\./, '') || 'feed';
}

/** ".latency.medianMs" or "[2].name" below the value validated; '' for the value itself. */
function subPath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) out += typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`;
  return out;
}

function refuse(path: string, message: string): ParseFeedResult {
  return { ok: false, error: `${path}: ${message}` };
}
