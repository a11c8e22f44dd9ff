/**
 * Fetches one results feed under the page's limits: an allowed URL, a time limit, a size limit
 * (Content-Length and the bytes actually streamed), UTF-8 text and parseFeed's checks. Every
 * refusal is one line naming the field and the reason, as parseFeed's are.
 */
import { DEFAULT_MAX_FEED_BYTES, parseFeedInSlices, type FeedDocument } from '../../lib/feed';
import { checkFeedUrl } from '../../lib/share/params';

export const FEED_TIMEOUT_MS = 10_000;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What a server said about a version of the feed, sent back on a refresh. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type RefusalStage = 'url' | 'network' | 'timeout' | 'http' | 'size' | 'content';

export type FetchFeedOutcome =
  | { kind: 'loaded'; feed: FeedDocument; validators: Validators }
  | { kind: 'not-modified' }
  | { kind: 'refused'; stage: RefusalStage; reason: string };

export interface FetchFeedOptions {
  fetch: FetchLike;
  timeoutMs?: number;
  maxBytes?: number;
  /** from the last load: makes the request conditional, so a 304 keeps the data */
  validators?: Validators;
}

const refuse = (stage: RefusalStage, reason: string): FetchFeedOutcome => ({ kind: 'refused', stage, reason });

/** A feed from another site: only https, or http on this machine (the link codec's rule). */
export function fetchRemoteFeed(url: string, options: FetchFeedOptions): Promise<FetchFeedOutcome> {
  const problem = checkFeedUrl(url);
  return problem ? Promise.resolve(refuse('url', `feed: ${problem}`)) : fetchFeed(url, options);
}

/** The site's own feed, or any URL already allowed. */
export async function fetchFeed(url: string, options: FetchFeedOptions): Promise<FetchFeedOutcome> {
  const { timeoutMs = FEED_TIMEOUT_MS, maxBytes = DEFAULT_MAX_FEED_BYTES, validators = {} } = options;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const headers: Record<string, string> = {};
    if (validators.etag) headers['If-None-Match'] = validators.etag;
    if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
    const response = await options.fetch(url, { signal: controller.signal, headers, credentials: 'omit', redirect: 'follow' });
    if (response.status === 304) return { kind: 'not-modified' };
    if (!response.ok) return refuse('http', `feed: the server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body?.cancel();
      return refuse('size', `feed: is over the ${maxBytes}-byte limit (Content-Length ${declared})`);
    }
    const bytes = await readCapped(response, maxBytes);
    if (bytes === null) return refuse('size', `feed: is over the ${maxBytes}-byte limit (stopped reading past it)`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return refuse('content', 'feed: is not UTF-8 text');
    }
    // In slices: a large feed never holds the page's main thread.
    const parsed = await parseFeedInSlices(text, maxBytes);
    if (!parsed.ok) return refuse('content', parsed.error);
    return { kind: 'loaded', feed: parsed.feed, validators: validatorsOf(response) };
  } catch (e) {
    if (timedOut) return refuse('timeout', `feed: no complete answer within ${timeoutMs / 1000} s (timed out)`);
    // Browsers give no detail for a blocked cross-origin answer: name the likely cause.
    return refuse('network', `feed: could not be fetched (${e instanceof Error ? e.message : String(e)}); the server must be reachable and send Access-Control-Allow-Origin`);
  } finally {
    clearTimeout(timer);
  }
}

/** The body's bytes, or null as soon as they pass `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function validatorsOf(response: Response): Validators {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
