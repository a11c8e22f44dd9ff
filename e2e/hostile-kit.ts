/**
 * What the hostile-input specs share: a second server (another origin) answering with crafted
 * feeds, and the checks every page must pass whatever it was given: it shows something, throws
 * nothing, never holds the main thread for a second, draws no NaN, and turns no input into an
 * element.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';

/** What a crafted route answers: a document (JSON-encoded unless a string), or a raw response. */
export type Answer =
  | { json: unknown; cors?: boolean }
  | { status: number; body?: string | Buffer; headers?: Record<string, string> };

export interface FeedServer {
  url: string;
  /** serves `answer` at `path` from now on */
  set(path: string, answer: Answer): string;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 (another origin than the site's localhost) with CORS open unless a route says otherwise. */
export async function serveFeeds(): Promise<FeedServer> {
  const routes = new Map<string, Answer>();
  const server: Server = createServer((req, res) => {
    const answer = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!answer) return void res.writeHead(404, { 'access-control-allow-origin': '*' }).end();
    if ('json' in answer) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (answer.cors !== false) headers['access-control-allow-origin'] = '*';
      return void res.writeHead(200, headers).end(typeof answer.json === 'string' ? answer.json : JSON.stringify(answer.json));
    }
    res.writeHead(answer.status, { 'access-control-allow-origin': '*', ...answer.headers }).end(answer.body ?? '');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set(path, answer) {
      routes.set(path, answer);
      return `${url}${path}`;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

/** 50 MB of zeros as about 50 KB of gzip, sent as a Content-Encoding the browser undoes. */
export function gzipBomb(): Answer {
  return { status: 200, body: gzipSync(Buffer.alloc(50_000_000), { level: 9 }), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } };
}

/** A feed for the page's default layer (Llama-7B qkvo_proj), with `results` results per device at T = 1, 16, 128, 1024. */
export function feedFor(devices: { id: string; name: string }[], over: Record<string, unknown> = {}, resultsPerDevice = 4) {
  const TOKENS = [1, 16, 128, 1024];
  return {
    schema: 'blr-feed/1',
    generated: '2026-02-03T04:05:00Z',
    generator: 'e2e',
    devices: devices.map((d) => ({ ...d, kind: 'desktop-gpu', measured: { bandwidthGBs: 400, f32GFlops: 20000 } })),
    results: devices.flatMap((d) =>
      Array.from({ length: resultsPerDevice }, (_, i) => ({
        device: d.id,
        preset: 'llama-7b',
        layer: 'qkvo_proj',
        shape: { m: 4096, n: 4096, tokens: TOKENS[i % TOKENS.length] },
        structure: i % 2 ? { kind: 'monarch', blocks: 16, rank: 1024 } : { kind: 'dense' },
        strategy: i % 2 ? 'partial' : 'tiled',
        implementation: 'wgsl-dawn',
        dtype: 'f32',
        latency: { medianMs: 1 + i },
        provenance: { kind: 'blr-bench', source: `e2e ${i >> 2}` },
      })),
    ),
    ...over,
  };
}

/** Markers a hostile input carries: none may ever become an element, and none of them may run. */
export const MARKUP = ['<x-hostile id="hostile">', '<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=1</script>', '<svg onload="window.__pwned=1">'];

/** Records long tasks from the first script on, in every page of the context. */
export async function watchLongTasks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

export interface PageHealth {
  /** the longest task since the page loaded or `resetLongTasks` */
  longestTaskMs: number;
  /** SVG attributes holding NaN or Infinity, as `tag.attr=value` */
  badSvg: string[];
  /** elements or side effects a hostile input made */
  injected: string[];
  /** how far the page is wider than the window */
  overflowPx: number;
}

export async function resetLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => void ((window as unknown as { __long: number[] }).__long = []));
}

/** What every page must hold, whatever its link and feeds. */
export function health(page: Page): Promise<PageHealth> {
  return page.evaluate(() => {
    const w = window as unknown as { __long?: number[]; __pwned?: unknown };
    const badSvg: string[] = [];
    for (const el of document.querySelectorAll('svg, svg *')) {
      for (const a of el.attributes) if (/NaN|Infinity/.test(a.value)) badSvg.push(`${el.tagName}.${a.name}=${a.value.slice(0, 60)}`);
    }
    const injected = [...document.querySelectorAll('#app x-hostile, #hostile, #app img, #app script, #app iframe, #app object, #app embed')].map((e) => e.outerHTML.slice(0, 80));
    if (w.__pwned !== undefined) injected.push('window.__pwned was set');
    return {
      longestTaskMs: Math.max(0, ...(w.__long ?? [])),
      badSvg,
      injected,
      overflowPx: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
}
