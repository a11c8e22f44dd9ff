import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchFeed, fetchRemoteFeed, type FetchLike } from './fetch-feed';

const FEED = {
  schema: 'blr-feed/1',
  generated: '2026-01-17T10:00:00Z',
  generator: 'test',
  title: 'A test feed',
  devices: [{ id: 'gpu-a', name: 'GPU A', kind: 'desktop-gpu' }],
  results: [
    {
      device: 'gpu-a',
      shape: { m: 8, n: 8, tokens: 1 },
      structure: { kind: 'dense' },
      strategy: 'tiled',
      implementation: 'wgsl-dawn',
      dtype: 'f32',
      latency: { medianMs: 0.5 },
      provenance: { kind: 'blr-bench', source: 'test' },
    },
  ],
};
const TEXT = JSON.stringify(FEED);

/** A fetch answering `body` and recording each request's headers. */
function serving(body: BodyInit | null, init: ResponseInit = {}) {
  const requests: Headers[] = [];
  const fetch: FetchLike = async (_url, req) => {
    requests.push(new Headers(req.headers));
    return new Response(body, init);
  };
  return { fetch, requests };
}

/** A fetch that never answers until its request is aborted. */
const hanging: FetchLike = (_url, init) =>
  new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

afterEach(() => {
  vi.useRealTimers();
});

describe('fetchFeed', () => {
  it('loads a valid feed and keeps its validators', async () => {
    const { fetch } = serving(TEXT, { headers: { etag: '"v1"', 'last-modified': 'Sat, 17 Jan 2026 10:00:00 GMT' } });
    const out = await fetchFeed('https://example.org/feed.json', { fetch });
    expect(out).toMatchObject({ kind: 'loaded', validators: { etag: '"v1"', lastModified: 'Sat, 17 Jan 2026 10:00:00 GMT' } });
    if (out.kind === 'loaded') expect(out.feed.title).toBe('A test feed');
  });

  it('sends the validators on a refresh, and a 304 keeps the data', async () => {
    const { fetch, requests } = serving(null, { status: 304 });
    const out = await fetchFeed('https://example.org/feed.json', { fetch, validators: { etag: '"v1"', lastModified: 'Sat, 17 Jan 2026 10:00:00 GMT' } });
    expect(out).toEqual({ kind: 'not-modified' });
    expect(requests[0].get('if-none-match')).toBe('"v1"');
    expect(requests[0].get('if-modified-since')).toBe('Sat, 17 Jan 2026 10:00:00 GMT');
  });

  it('sends no conditional headers on a first load', async () => {
    const { fetch, requests } = serving(TEXT);
    await fetchFeed('https://example.org/feed.json', { fetch });
    expect(requests[0].has('if-none-match')).toBe(false);
    expect(requests[0].has('if-modified-since')).toBe(false);
  });

  it('times out after 10 s with a message, aborting the request', async () => {
    vi.useFakeTimers();
    const pending = fetchFeed('https://example.org/slow.json', { fetch: hanging });
    await vi.advanceTimersByTimeAsync(9_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ kind: 'refused', stage: 'timeout', reason: 'feed: no complete answer within 10 s (timed out)' });
  });

  it('times out while the body is still streaming', async () => {
    vi.useFakeTimers();
    const fetch: FetchLike = async (_url, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"schema":'));
          init.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body);
    };
    const pending = fetchFeed('https://example.org/trickle.json', { fetch });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await pending).toMatchObject({ kind: 'refused', stage: 'timeout' });
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const { fetch } = serving(TEXT, { headers: { 'content-length': '6000000' } });
    const out = await fetchFeed('https://example.org/big.json', { fetch });
    expect(out).toEqual({ kind: 'refused', stage: 'size', reason: 'feed: is over the 5000000-byte limit (Content-Length 6000000)' });
  });

  it('stops reading a body that streams past the cap, whatever the headers say', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1000).fill(32);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(chunk);
      },
    });
    const { fetch } = serving(body);
    const out = await fetchFeed('https://example.org/endless.json', { fetch, maxBytes: 10_000 });
    expect(out).toMatchObject({ kind: 'refused', stage: 'size' });
    expect(pulled).toBeLessThan(20);
  });

  it('keeps a bad feed out, naming the field', async () => {
    const bad = { ...FEED, schema: 'blr-feed/2' };
    const out = await fetchFeed('https://example.org/v2.json', serving(JSON.stringify(bad)));
    expect(out).toMatchObject({ kind: 'refused', stage: 'content' });
    if (out.kind === 'refused') expect(out.reason).toMatch(/^schema: must be "blr-feed\/1"/);
    const html = { ...FEED, title: '<img src=x onerror=alert(1)>' };
    const out2 = await fetchFeed('https://example.org/html.json', serving(JSON.stringify(html)));
    if (out2.kind !== 'refused') throw new Error('accepted');
    expect(out2.reason).toBe('title: must not contain < or > (feed strings are text, never HTML)');
  });

  it('refuses bytes that are not UTF-8', async () => {
    const out = await fetchFeed('https://example.org/latin1.json', serving(new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(out).toEqual({ kind: 'refused', stage: 'content', reason: 'feed: is not UTF-8 text' });
  });

  it('refuses an HTTP error and a network failure with their reasons', async () => {
    expect(await fetchFeed('https://example.org/missing.json', serving('nope', { status: 404, statusText: 'Not Found' }))).toEqual({
      kind: 'refused',
      stage: 'http',
      reason: 'feed: the server answered HTTP 404 Not Found',
    });
    const failing: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const out = await fetchFeed('https://example.org/cors.json', { fetch: failing });
    expect(out).toMatchObject({ kind: 'refused', stage: 'network' });
    if (out.kind === 'refused') expect(out.reason).toContain('Access-Control-Allow-Origin');
  });
});

describe('fetchRemoteFeed', () => {
  it.each([
    ['http://example.org/feed.json', 'must be https://'],
    ['ftp://example.org/feed.json', 'must be https://'],
    ['javascript:alert(1)', 'must be https://'],
    ['feeds/default.json', 'not a URL'],
    ['https://user:pw@example.org/feed.json', 'user name or password'],
  ])('refuses %s before fetching', async (url, reason) => {
    const fetch = vi.fn<FetchLike>();
    const out = await fetchRemoteFeed(url, { fetch });
    expect(out).toMatchObject({ kind: 'refused', stage: 'url' });
    if (out.kind === 'refused') expect(out.reason).toContain(reason);
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each(['https://example.org/feed.json', 'http://localhost:8080/feed.json', 'http://127.0.0.1:9/feed.json'])('fetches %s', async (url) => {
    const { fetch } = serving(TEXT);
    expect(await fetchRemoteFeed(url, { fetch })).toMatchObject({ kind: 'loaded' });
  });
});
