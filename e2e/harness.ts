/**
 * What every e2e spec needs: the built site (dist/) on a free localhost port, and Debian's
 * chromium through playwright-core, with WebGPU on SwiftShader unless a test wants it off.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
  url: string;
  close(): Promise<void>;
}

/** Serves dist/ on 127.0.0.1 (a secure context for WebGPU as "localhost"). */
export async function serveDist(): Promise<Site> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` before the e2e tests');
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(DIST, path);
    if (!file.startsWith(DIST)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}

const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser(opts: { webgpu: boolean }): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: opts.webgpu ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS,
  });
}

/** A page at `width × height` that fails the test on any uncaught page error. */
export async function openPage(browser: Browser, url: string, width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, errors };
}

export function screenshotPath(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}
