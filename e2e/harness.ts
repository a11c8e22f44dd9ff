/**
 * What every e2e spec needs: the built site (dist/) on a free localhost port, and Debian's
 * chromium through playwright-core, with WebGPU on SwiftShader unless a test wants it off.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

const DIST = resolve(import.meta.dirname, '..', 'dist');
export const SCREENSHOTS = resolve(import.meta.dirname, '..', 'test-results');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
};

export interface Site {
  /** the site's address, ending in the prefix (if any) and '/' */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves dist/ on 127.0.0.1 (a secure context for WebGPU as "localhost"), at the root or under
 * `prefix` the way static hosts such as GitHub Pages serve a project site: anything missing
 * gets 404.html with status 404. Like a host configured as the README says, it answers with the
 * build's precompressed `.br` or `.gz` beside a file when the browser accepts that encoding.
 */
export async function serveDist(prefix = ''): Promise<Site> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` before the e2e tests');
  const notFound = readFileSync(join(DIST, '404.html'));
  const root = prefix ? `/${prefix}/` : '/';
  // Long queries (thousands of keys) must reach the page: Node's default header limit is 16 KB.
  const server: Server = createServer({ maxHeaderSize: 4 * 2 ** 20 }, (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = path.startsWith(root) ? join(DIST, path.slice(root.length)) : '';
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404, { 'content-type': TYPES['.html'] }).end(notFound);
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = (['br', 'gzip'] as const).find((e) => accepts.includes(e) && existsSync(`${file}.${e === 'br' ? 'br' : 'gz'}`));
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', vary: 'Accept-Encoding' };
    if (encoding) headers['content-encoding'] = encoding;
    res.writeHead(200, headers);
    createReadStream(encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}${root}`, origin, close: () => new Promise((ok) => server.close(() => ok())) };
}

const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser(opts: { webgpu: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: opts.webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS,
  });
}

/**
 * The built site (at the root, or under `prefix`) and a browser for a spec's tests: started
 * before them, closed after them. Read `site` and `browser` inside the tests.
 */
export function siteAndBrowser(opts: { webgpu: boolean; prefix?: string }): { readonly site: Site; readonly browser: Browser } {
  let site: Site | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    site = await serveDist(opts.prefix);
    browser = await launchBrowser({ webgpu: opts.webgpu });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    get site() {
      if (!site) throw new Error('the site is served only once the tests run');
      return site;
    },
    get browser() {
      if (!browser) throw new Error('the browser is started only once the tests run');
      return browser;
    },
  };
}

/** A page at `width × height` that fails the test on any uncaught page error, once every view has mounted. */
export async function openPage(browser: Browser, url: string, width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await viewsMounted(page);
  return { page, errors };
}

/** The page mounts its views one per task after the controls: this waits for the last. */
export function viewsMounted(page: Page): Promise<void> {
  return page.locator('main[data-ready]').waitFor({ timeout: 30_000 });
}

export function screenshotPath(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}
