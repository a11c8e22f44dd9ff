/**
 * Results feeds in the built page: the default feed's devices on first load with no network
 * beyond the site, remote feeds from a second localhost server (?feed= and the Load feed
 * control), and the refusals: a server too slow, a wrong schema version, HTML in a string.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, openPage, screenshotPath, serveDist, type Site } from './harness';

/** A feed for the page's default layer (Llama-7B qkvo_proj) at T=1024 on a device named `name`. */
function feedFor(name: string, extra: Record<string, unknown> = {}) {
  const id = name.toLowerCase().replace(/\W+/g, '-');
  const result = (structure: object, strategy: string, medianMs: number) => ({
    device: id,
    preset: 'llama-7b',
    layer: 'qkvo_proj',
    shape: { m: 4096, n: 4096, tokens: 1024 },
    structure,
    strategy,
    implementation: 'wgsl-dawn',
    dtype: 'f32',
    latency: { medianMs },
    provenance: { kind: 'blr-bench', source: 'e2e fixture', command: 'blr bench --preset llama-7b' },
  });
  return {
    schema: 'blr-feed/1',
    generated: '2026-02-03T04:05:00Z',
    generator: 'blr bench',
    title: `${name} results`,
    devices: [{ id, name, kind: 'desktop-gpu', measured: { bandwidthGBs: 400, f32GFlops: 20000 } }],
    results: [result({ kind: 'dense' }, 'tiled', 4), result({ kind: 'monarch', blocks: 16, rank: 1024 }, 'partial', 2)],
    ...extra,
  };
}

const FEEDS: Record<string, unknown> = {
  '/board-a.json': feedFor('Board A'),
  '/board-b.json': feedFor('Board B'),
  '/v2.json': feedFor('Board C', { schema: 'blr-feed/2' }),
  '/html.json': { ...feedFor('Board D'), devices: [{ id: 'board-d', name: '<img src=x onerror=alert(1)>', kind: 'desktop-gpu' }] },
};

/** The second server: another origin (127.0.0.1, its own port), CORS open, one route that answers after 12 s. */
async function serveFeeds(): Promise<{ url: string; close(): Promise<void> }> {
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/slow.json') {
      const t = setTimeout(() => res.writeHead(200, headers).end(JSON.stringify(feedFor('Board Slow'))), 12_000);
      timers.add(t);
      return;
    }
    const feed = FEEDS[path];
    if (!feed) return void res.writeHead(404, headers).end();
    res.writeHead(200, headers).end(JSON.stringify(feed));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

let site: Site;
let feeds: { url: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveDist();
  feeds = await serveFeeds();
  browser = await launchBrowser({ webgpu: false });
});

afterAll(async () => {
  await browser?.close();
  await feeds?.close();
  await site?.close();
});

const table = (page: Page) => page.getByTestId('compare-table');
const deviceRows = (page: Page, name: string) => table(page).locator(`tbody tr[data-device="${name}"]`);
const message = (page: Page) => page.getByTestId('feed-message');
/** Lines the latency chart draws for a feed device (their labels start with its name). */
const feedLines = (page: Page, chart: string, name: string) => page.getByTestId(chart).locator(`g.series.feed[data-series^="${name} · "]`);
const feedPoints = (page: Page, name: string) => page.locator(`path.feed-point[data-point^="${name} · "]`);
const roof = (page: Page, label: string) => page.locator(`polyline.roof[data-roof="${label}"]`);

async function loadFromControl(page: Page, url: string) {
  await page.getByLabel('Feed URL (https, or http://localhost)').fill(url);
  await page.getByLabel('Feed URL (https, or http://localhost)').press('Enter');
}

describe('results feeds', () => {
  it('shows the default feed (Jetson, A40, H100, H200) on first load, with no request beyond the site', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(site.url)) return route.continue();
      outside.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.url);
    await table(page).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await table(page).locator('caption').textContent()).toMatch(/^Llama-7B .* · 4096 → 4096 · T=1024$/);
    for (const name of ['NVIDIA Jetson Orin Nano 8GB', 'NVIDIA A40', 'NVIDIA H100 80GB HBM3', 'NVIDIA H200']) {
      expect(await deviceRows(page, name).count()).toBeGreaterThan(0);
    }
    // The paper's devices are its cost model: every one of their rows says so.
    const jetson = deviceRows(page, 'NVIDIA Jetson Orin Nano 8GB');
    expect(await jetson.locator('.tag', { hasText: 'modelled' }).count()).toBe(await jetson.count());
    const jetsonMonarch = jetson.filter({ hasText: 'Monarch b=16 R=1024' }).filter({ hasText: 'partial' });
    expect(await jetsonMonarch.locator('td').nth(3).textContent()).toMatch(/^[\d.]+×$/);
    expect(await jetsonMonarch.locator('td').nth(4).textContent()).toBe('cost-model dense bf16');
    expect(await page.getByTestId('feed-sources').textContent()).toMatch(/this site \(default feed\).*generated \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(await page.getByTestId('own-gpu-note').textContent()).toMatch(/no WebGPU here/);
    await page.getByLabel('Tokens T', { exact: true }).selectOption('1');
    expect(await table(page).locator('caption').textContent()).toMatch(/T=1$/);
    // The timing and roofline views draw the paper's devices beside this GPU from the start:
    // dense and Monarch unfused, partial and native, modelled, at T = 1, 16, 128, 1024.
    for (const name of ['NVIDIA Jetson Orin Nano 8GB', 'NVIDIA A40']) {
      expect(await feedLines(page, 'latency-chart', name).count()).toBe(4);
      expect(await feedLines(page, 'latency-chart', name).first().locator('path.point').count()).toBe(4);
      expect(await feedLines(page, 'speedup-chart', name).count()).toBe(3);
      expect(await roof(page, `${name} bf16`).count()).toBe(1);
      expect(await feedPoints(page, name).count()).toBeGreaterThan(0);
    }
    for (const name of ['NVIDIA H100 80GB HBM3', 'NVIDIA H200']) {
      expect(await feedLines(page, 'latency-chart', name).first().getAttribute('data-series')).toContain('wgsl-dawn f32');
    }
    expect(await page.getByTestId('feed-roofs').textContent()).toContain('NVIDIA A40 bf16: peak 696 GiB/s, peak 149.7 TFLOP/s bf16');
    await page.screenshot({ path: screenshotPath('feeds-default'), fullPage: true });
    await page.locator('section[aria-labelledby=timing-title]').screenshot({ path: screenshotPath('feeds-default-timing') });
    await page.locator('section[aria-labelledby=roofline-title]').screenshot({ path: screenshotPath('feeds-default-roofline') });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads a feed from another localhost server through ?feed= and through the Load feed control', async () => {
    const { page, errors } = await openPage(browser, `${site.url}?feed=${encodeURIComponent(`${feeds.url}/board-a.json`)}`);
    await expect.poll(() => deviceRows(page, 'Board A').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('feed-sources').textContent()).toContain(`${feeds.url}/board-a.json`);
    expect(await page.getByTestId('feed-sources').textContent()).toContain('Board A results');
    expect(await page.getByTestId('feed-sources').textContent()).toContain('generated 2026-02-03 04:05 UTC');
    // Board A's Monarch: 2 ms against its dense 4 ms, and its own measured roof.
    const monarch = deviceRows(page, 'Board A').filter({ hasText: 'Monarch' });
    expect(await monarch.locator('td').nth(3).textContent()).toBe('2×');
    expect(await monarch.locator('td').nth(4).textContent()).toBe('wgsl-dawn dense f32');
    expect(await table(page).locator('tr.device', { hasText: 'Board A' }).textContent()).toBe(`Board A from ${feeds.url}/board-a.json`);
    expect(await page.locator('.roofs').textContent()).toContain('Board A, f32: measured 400 GB/s, measured 20 TFLOP/s f32');
    expect(await deviceRows(page, 'NVIDIA A40').count()).toBeGreaterThan(0);
    expect(await table(page).locator('tbody tr[data-device]').first().getAttribute('data-device')).toBe('NVIDIA Jetson Orin Nano 8GB');
    // Board A in the charts: its dense and Monarch partial at T=1024, against its own roof.
    expect(await feedLines(page, 'latency-chart', 'Board A').count()).toBe(2);
    expect(await feedLines(page, 'speedup-chart', 'Board A').locator('path.point title').textContent()).toBe(
      'Board A · wgsl-dawn f32 · Monarch b=16 R=1024 · partial: T=1024, 2×',
    );
    expect(await roof(page, 'Board A f32').count()).toBe(1);
    expect(await feedPoints(page, 'Board A').count()).toBe(2);
    // Unticked with the keyboard, Board A leaves both charts and the roofline.
    const pick = page.getByTestId('feed-overlay').getByRole('checkbox', { name: 'Board A · wgsl-dawn f32' });
    expect(await pick.isChecked()).toBe(true);
    await pick.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => feedLines(page, 'latency-chart', 'Board A').count()).toBe(0);
    expect(await feedPoints(page, 'Board A').count()).toBe(0);
    expect(await roof(page, 'Board A f32').count()).toBe(0);
    expect(await feedLines(page, 'latency-chart', 'NVIDIA A40').count()).toBe(4);
    await page.getByTestId('feed-overlay').screenshot({ path: screenshotPath('feeds-overlay-picker') });
    // The choice is part of the link: reopened, Board A stays off and the A40 on.
    await expect.poll(() => new URL(page.url()).searchParams.getAll('draw')).toContain('nvidia-a40|cost-model|bf16');
    const reopened = await openPage(browser, page.url());
    const reopenedPick = (name: string) => reopened.page.getByTestId('feed-overlay').getByRole('checkbox', { name });
    await reopenedPick('Board A · wgsl-dawn f32').waitFor({ timeout: 20_000 });
    expect(await reopenedPick('Board A · wgsl-dawn f32').isChecked()).toBe(false);
    expect(await reopenedPick('NVIDIA A40 · cost-model bf16 (modelled)').isChecked()).toBe(true);
    expect(await feedLines(reopened.page, 'latency-chart', 'Board A').count()).toBe(0);
    // Back to the default choice: Board A is drawn again and the link no longer says what to draw.
    await reopened.page.getByRole('button', { name: 'Back to the default choice' }).click();
    await expect.poll(() => reopenedPick('Board A · wgsl-dawn f32').isChecked()).toBe(true);
    await expect.poll(() => new URL(reopened.page.url()).searchParams.has('draw')).toBe(false);
    expect(await feedLines(reopened.page, 'latency-chart', 'Board A').count()).toBe(2);
    expect(reopened.errors).toEqual([]);
    await reopened.page.close();

    await loadFromControl(page, `${feeds.url}/board-b.json`);
    await expect.poll(() => deviceRows(page, 'Board B').count(), { timeout: 20_000 }).toBe(2);
    expect(await message(page).textContent()).toBe(`Loaded ${feeds.url}/board-b.json: 1 device, 2 results.`);
    expect(await page.getByLabel('Feed URL (https, or http://localhost)').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Refresh feeds' }).click();
    await expect.poll(() => message(page).textContent(), { timeout: 20_000 }).toMatch(/^Refreshed 3 feeds: 3 reloaded/);
    expect(await deviceRows(page, 'Board B').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('feeds-remote'), fullPage: true });
    await page.locator('section[aria-labelledby=compare-title]').screenshot({ path: screenshotPath('feeds-remote-compare') });
    await page.locator('section[aria-labelledby=feeds-title]').screenshot({ path: screenshotPath('feeds-remote-controls') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a server that does not answer within 10 s, and bad feeds, naming the field; the page keeps working', async () => {
    const { page, errors } = await openPage(browser, site.url);
    await table(page).waitFor({ state: 'attached', timeout: 20_000 });
    const rows = await table(page).locator('tbody tr').count();

    await loadFromControl(page, `${feeds.url}/slow.json`);
    await expect.poll(() => message(page).textContent(), { timeout: 15_000 }).toBe(`Refused ${feeds.url}/slow.json: feed: no complete answer within 10 s (timed out)`);

    await loadFromControl(page, `${feeds.url}/v2.json`);
    await expect.poll(() => message(page).textContent(), { timeout: 10_000 }).toMatch(/^Refused .*v2\.json: schema: must be "blr-feed\/1"/);

    await loadFromControl(page, `${feeds.url}/html.json`);
    await expect.poll(() => message(page).textContent(), { timeout: 10_000 }).toMatch(
      /^Refused .*html\.json: devices\[0\]\.name: must not contain < or > \(feed strings are text, never HTML\)$/,
    );
    expect(await page.locator('img').count()).toBe(0);

    await loadFromControl(page, 'http://example.org/feed.json');
    await expect.poll(() => message(page).textContent()).toMatch(/must be https:\/\//);

    expect(await table(page).locator('tbody tr').count()).toBe(rows);
    // One line per feed tried: the default one loaded, each refused one with its reason.
    expect(await page.getByTestId('feed-sources').locator('li[data-state=loaded]').count()).toBe(1);
    expect(await page.getByTestId('feed-sources').locator('li[data-state=refused]').allTextContents()).toEqual([
      expect.stringContaining('no complete answer within 10 s'),
      expect.stringContaining('must be "blr-feed/1"'),
      expect.stringContaining('must not contain < or >'),
      expect.stringContaining('must be https://'),
    ]);
    await page.screenshot({ path: screenshotPath('feeds-refused'), fullPage: true });
    await page.locator('section[aria-labelledby=feeds-title]').screenshot({ path: screenshotPath('feeds-refused-controls') });
    // Still working: another layer's rows.
    await page.getByLabel('Model', { exact: true }).selectOption('gpt2-s');
    await expect.poll(() => table(page).locator('caption').textContent()).toMatch(/^GPT2-S .* · 768 → 2304 · T=\d+$/);
    expect(await deviceRows(page, 'NVIDIA A40').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
