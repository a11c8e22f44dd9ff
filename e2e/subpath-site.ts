/**
 * The built site (dist/) served under a sub-path, as static hosts such as GitHub Pages serve a
 * project site: files under the prefix, 404.html with status 404 for anything missing.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const DIST = resolve(import.meta.dirname, '..', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface SubpathSite {
  /** the site's address, ending in the prefix and '/' */
  url: string;
  origin: string;
  close(): Promise<void>;
}

export async function serveDistAt(prefix: string): Promise<SubpathSite> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npx vite build` before the e2e tests');
  const notFound = readFileSync(join(DIST, '404.html'));
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = path.startsWith(`/${prefix}/`) ? join(DIST, path.slice(prefix.length + 1)) : '';
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !file.startsWith(DIST) || !existsSync(file)) return void res.writeHead(404, { 'content-type': TYPES['.html'] }).end(notFound);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/${prefix}/`, origin, close: () => new Promise((ok) => server.close(() => ok())) };
}
