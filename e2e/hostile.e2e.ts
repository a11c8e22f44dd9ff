/**
 * Hostile and careless links and feeds against the built site served from a sub-path: each
 * case the page once got wrong (a blank page, a frozen thread, a vanished refusal, a 300-digit
 * figure, a 20 000-pixel page, a claim shown as fact), and the first load's size.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/lib/limits';
import { packText } from '../src/lib/share/packing';
import { encodeSnapshot, type SnapshotPoint } from '../src/lib/share/snapshot';
import { SCREENSHOTS, launchBrowser, screenshotPath, serveDist, viewsMounted, type Site } from './harness';
import { feedFor, gzipBomb, health, serveFeeds, watchLongTasks, type FeedServer } from './hostile-kit';

const DIST = resolve(import.meta.dirname, '..', 'dist');

let site: Site;
let feeds: FeedServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  site = await serveDist('blr');
  feeds = await serveFeeds();
  browser = await launchBrowser({ webgpu: false });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await watchLongTasks(context);
  // One load first: the bundle's compile is the browser's, not any link's.
  const warm = await context.newPage();
  await warm.goto(site.url);
  await warm.getByTestId('params').waitFor();
  await warm.close();
});

afterAll(async () => {
  await browser?.close();
  await feeds?.close();
  await site?.close();
});

/** One page for a test, failing it on any uncaught error. */
async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.url}${query}`);
  await page.getByTestId('params').waitFor();
  await viewsMounted(page);
  return { page, errors };
}

/** Unfolds the Compare view's table (folded by default under its chart). */
async function openCompareTable(page: Page): Promise<void> {
  const details = page.getByTestId('compare-details');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
}

/** The page once the default feed (and any other) has an outcome. */
async function settled(page: Page): Promise<void> {
  await page.locator('[data-testid=feed-sources] li[data-origin=default]:not([data-state=loading])').waitFor({ timeout: 30_000 });
}

const notices = (page: Page) => page.getByTestId('link-notices');
const noticeText = async (page: Page) => ((await notices(page).textContent()) ?? '').replace(/\s+/g, ' ');
const source = (page: Page, origin: string) => page.locator(`[data-testid=feed-sources] li[data-origin="${origin}"]`);

/** What every page must hold; the longest task is returned for the caller's own bound. */
async function expectHealthy(page: Page, errors: string[]): Promise<number> {
  const h = await health(page);
  expect(errors).toEqual([]);
  expect(h.badSvg).toEqual([]);
  expect(h.injected).toEqual([]);
  expect(h.overflowPx).toBeLessThanOrEqual(0);
  expect(h.longestTaskMs).toBeLessThan(1000);
  return h.longestTaskMs;
}

const monarch: SnapshotPoint = { structure: 'monarch', blocks: 16, rank: 1024, m: 4096, n: 4096, tokens: 1024, strategy: 'partial', dtype: 'f32', medianMs: 3.25 };
const rawSnapshot = (device: string, points: unknown[]) => packText(JSON.stringify({ v: 1, device, points }));

describe('hostile links', () => {
  it('row 1: a snapshot with a point given twice shows it once with a notice; 1500 of them are refused by the point limit', async () => {
    const twice = await open(`?v=1&results=${rawSnapshot('GPU', [monarch, monarch])}`);
    await twice.page.getByTestId('linked-results').waitFor();
    expect(await twice.page.getByTestId('linked-results').locator('tbody tr').count()).toBe(1);
    expect(await noticeText(twice.page)).toContain('1 point given twice; the first timing of each is shown');
    await expectHealthy(twice.page, twice.errors);
    await twice.page.close();

    const many = rawSnapshot('GPU', Array.from({ length: 1500 }, () => monarch));
    expect(many.length).toBeLessThan(LIMITS.snapshotChars);
    const { page, errors } = await open(`?v=1&results=${many}`);
    expect(await noticeText(page)).toContain(`at most ${LIMITS.snapshotPoints} points; no results shown`);
    expect(await page.getByTestId('linked-results').count()).toBe(0);
    await expectHealthy(page, errors);
    await page.close();
  });

  it('rows 2 and 3: b, m, n, rank past the limits are refused with a notice naming the limit; b at its limit draws quickly', async () => {
    const b4096 = await open('?v=1&preset=custom&m=4096&n=4096&structure=blast&blocks=4096&rank=4096');
    expect(await noticeText(b4096.page)).toContain(`blocks = 4096: expected a whole number from 1 to ${LIMITS.blocks}`);
    expect(await b4096.page.getByLabel('Blocks b', { exact: true }).inputValue()).toBe('4');
    await expectHealthy(b4096.page, b4096.errors);
    await b4096.page.close();

    const huge = await open('?v=1&m=16777216&n=16777216&blocks=16777216&rank=16777216');
    const text = await noticeText(huge.page);
    for (const part of [`m = 16777216: expected a whole number from 1 to ${LIMITS.size}`, `n = 16777216: expected a whole number from 1 to ${LIMITS.size}`, `blocks = 16777216: expected a whole number from 1 to ${LIMITS.blocks}`, `rank = 16777216: expected a whole number from 1 to ${LIMITS.rank}`]) {
      expect(text).toContain(part);
    }
    await expectHealthy(huge.page, huge.errors);
    await huge.page.close();

    const b65536 = await open('?v=1&preset=custom&m=65536&n=65536&structure=monarch&blocks=65536&rank=65536');
    expect(await noticeText(b65536.page)).toContain(`blocks = 65536: expected a whole number from 1 to ${LIMITS.blocks}`);
    await expectHealthy(b65536.page, b65536.errors);
    await b65536.page.close();

    // At the limits themselves: no notice, and every view drawn within the same bounds.
    for (const structure of ['monarch', 'blast']) {
      const { page, errors } = await open(`?v=1&preset=custom&m=${LIMITS.size}&n=${LIMITS.size}&tokens=${LIMITS.tokens}&structure=${structure}&blocks=${LIMITS.blocks}&rank=${LIMITS.rank}`);
      await settled(page);
      expect(await notices(page).count()).toBe(0);
      expect(await page.locator('.chain svg').count()).toBeGreaterThanOrEqual(2);
      const longest = await expectHealthy(page, errors);
      // b² = 4096 coupling blocks are no elements: the pointer still finds the one under it.
      const hit = page.locator('rect.hit-area').first();
      await hit.scrollIntoViewIfNeeded();
      const box = (await hit.boundingBox())!;
      // BLAST's coupling blocks tile S; Monarch's pairs are strips of P (here 1 × 64 of 4096 × 4096): aim at pair (10, 20).
      const [fx, fy] = structure === 'blast' ? [0.3, 0.6] : [(20 * 64 + 5.5) / 4096, (10 * 64 + 20.5) / 4096];
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await expect.poll(() => page.getByTestId('picked-block').textContent()).toMatch(structure === 'blast' ? /^S block \(\d+, \d+\) produces / : /^pair out \d+ ← in \d+ produces /);
      if (structure === 'blast') await page.locator('section[aria-labelledby=structure-title]').screenshot({ path: screenshotPath('hostile-b64-structure') });
      console.info(`${structure} b=${LIMITS.blocks} on ${LIMITS.size}²: longest task ${Math.round(longest)} ms`);
      await page.close();
    }
  });

  it('rows 10, 11, 12: 5000 unknown keys make one notice; a "+" shows as a visible space; tokens obey the Tokens field\'s limit', async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&');
    const { page, errors } = await open(`?v=1&${keys}`);
    expect(await notices(page).locator('li').count()).toBe(1);
    expect(await noticeText(page)).toContain('5000 unknown parameters = k0 | k1 | k2 | k3 | k4: ignored (the first 5 named)');
    await expectHealthy(page, errors);
    await page.close();

    const plus = await open('?v=1&tokens=+5');
    expect(await noticeText(plus.page)).toContain("tokens = ␣5: expected a whole number from 1 to 65536 (without spaces; a '+' in a link reads as a space); using 1024");
    await expectHealthy(plus.page, plus.errors);
    await plus.page.close();

    const tokens = await open('?v=1&tokens=16777216');
    expect(await noticeText(tokens.page)).toContain(`tokens = 16777216: expected a whole number from 1 to ${LIMITS.tokens}; using 1024`);
    const field = tokens.page.getByLabel('Tokens T (batch × sequence)', { exact: true });
    expect(await field.getAttribute('max')).toBe(String(LIMITS.tokens));
    expect(await field.inputValue()).toBe('1024');
    await expectHealthy(tokens.page, tokens.errors);
    await tokens.page.close();
  });

  it('row 13: a snapshot\'s device is what the link claims, not a fact', async () => {
    const results = encodeSnapshot([monarch], 'NVIDIA H100 (verified)');
    const { page, errors } = await open(`?v=1&results=${results}`);
    const linked = page.getByTestId('linked-results');
    await linked.waitFor();
    expect(await linked.locator('h2').textContent()).toBe('Timing claimed by this link');
    expect(await page.getByTestId('linked-device').textContent()).toBe('NVIDIA H100 (verified)');
    expect((await page.getByTestId('linked-claim').textContent())?.replace(/\s+/g, ' ')).toMatch(/^The link says these were measured on NVIDIA H100 \(verified\)\. This page has not verified that/);
    expect(await linked.textContent()).not.toMatch(/measured on NVIDIA H100 \(verified\)(?!\.)/);
    await linked.screenshot({ path: screenshotPath('hostile-claimed-results') });
    await expectHealthy(page, errors);
    await page.close();
  });
});

describe('hostile feeds', () => {
  it('rows 4 and 5: every refused feed keeps its own line with the reason, after the default feed has loaded', async () => {
    const valid = feedFor([{ id: 'board', name: 'Board' }]);
    const refused = {
      date: feeds.set('/date.json', { json: { ...valid, generated: '2026-01-17T10:00:00+05' } }),
      missing: feeds.set('/missing.json', { status: 404 }),
      empty: feeds.set('/empty.json', { status: 200, body: '' }),
      cors: feeds.set('/no-cors.json', { json: valid, cors: false }),
      bomb: feeds.set('/bomb.json', gzipBomb()),
      redirect: feeds.set('/redirect.json', { status: 302, headers: { location: 'http://example.org/feed.json' } }),
    };
    const query = Object.values(refused).map((u) => `feed=${encodeURIComponent(u)}`).join('&');
    const { page, errors } = await open(`?v=1&${query}`);
    await settled(page);
    for (const url of Object.values(refused)) await source(page, url).and(page.locator('[data-state=refused]')).waitFor({ timeout: 20_000 });
    // The default feed loaded after or before them: the refusals are all still listed.
    await page.waitForTimeout(1500);
    expect(await source(page, 'default').getAttribute('data-state')).toBe('loaded');
    const reasons: Record<keyof typeof refused, RegExp> = {
      date: /Refused: generated: must be an ISO-8601 date and time with a full time-zone offset/,
      missing: /Refused: feed: the server answered HTTP 404/,
      empty: /Refused: feed: is not valid JSON/,
      cors: /Refused: feed: could not be fetched .*Access-Control-Allow-Origin/,
      bomb: /Refused: feed: is over the 5000000-byte limit/,
      redirect: /Refused: feed: could not be fetched/,
    };
    for (const [key, url] of Object.entries(refused)) expect(await source(page, url).textContent()).toMatch(reasons[key as keyof typeof refused]);
    expect(await page.getByTestId('feed-sources').textContent()).toMatch(/this site \(default feed\).*generated \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await page.locator('section[aria-labelledby=feeds-title]').screenshot({ path: screenshotPath('hostile-refused-feeds') });
    await expectHealthy(page, errors.filter((e) => !/Failed to fetch/.test(e)));
    await page.close();
  });

  it('rows 6 and 7: latencies past the physical bounds are refused by the schema; nothing draws NaN', async () => {
    const valid = feedFor([{ id: 'board', name: 'Board' }]);
    const broken = (medianMs: number) => ({ ...valid, results: valid.results.map((r, i) => (i === 1 ? { ...r, latency: { medianMs } } : r)) });
    const big = feeds.set('/big-latency.json', { json: broken(1e308) });
    const tiny = feeds.set('/tiny-latency.json', { json: broken(5e-324) });
    const { page, errors } = await open(`?v=1&feed=${encodeURIComponent(big)}&feed=${encodeURIComponent(tiny)}`);
    await settled(page);
    await source(page, big).and(page.locator('[data-state=refused]')).waitFor({ timeout: 20_000 });
    await source(page, tiny).and(page.locator('[data-state=refused]')).waitFor({ timeout: 20_000 });
    expect(await source(page, big).textContent()).toContain('results[1].latency.medianMs: must be a number from 1e-6 to 1e7 (got 1e+308)');
    expect(await source(page, tiny).textContent()).toContain('results[1].latency.medianMs: must be a number from 1e-6 to 1e7 (got 5e-324)');
    // At the bounds themselves a feed loads, and its figures stay finite and short.
    const edge = feeds.set('/edge-latency.json', { json: { ...valid, results: valid.results.map((r, i) => ({ ...r, latency: { medianMs: i % 2 ? LIMITS.latencyMs.min : LIMITS.latencyMs.max } })) } });
    await page.getByLabel('Feed URL (https, or http://localhost)').fill(edge);
    await page.getByLabel('Feed URL (https, or http://localhost)').press('Enter');
    await source(page, edge).and(page.locator('[data-state=loaded]')).waitFor({ timeout: 20_000 });
    await openCompareTable(page);
    await page.getByTestId('compare-table').locator('tr[data-device=Board]').first().waitFor();
    const table = await page.getByTestId('compare-table').boundingBox();
    expect(table!.width).toBeLessThan(1280);
    await expectHealthy(page, errors);
    await page.close();
  });

  it('rows 8 and 9: a 1999-character name never widens the page; a feed reusing the id nvidia-a40 keeps its own group and source', async () => {
    const name = 'N'.repeat(1999);
    const long = feeds.set('/long-name.json', { json: feedFor([{ id: 'long', name }]) });
    const a40 = feeds.set('/a40.json', { json: feedFor([{ id: 'nvidia-a40', name: 'NVIDIA A40' }]) });
    const { page, errors } = await open(`?v=1&feed=${encodeURIComponent(long)}&feed=${encodeURIComponent(a40)}`);
    await settled(page);
    await source(page, long).and(page.locator('[data-state=loaded]')).waitFor({ timeout: 20_000 });
    await source(page, a40).and(page.locator('[data-state=loaded]')).waitFor({ timeout: 20_000 });
    await openCompareTable(page);
    const heads = page.getByTestId('compare-table').locator('tr.device th');
    // The loaded A40's measurements replace the default feed's modelled A40 rows at this point
    // (measured before modelled, in every view), as their own group: 5 groups, not 6.
    await expect.poll(() => heads.count()).toBe(5);
    const longHead = heads.filter({ hasText: 'NNNN' });
    expect(await longHead.locator('.device-name').getAttribute('title')).toBe(name);
    expect((await longHead.locator('.device-name').textContent())?.length).toBe(LIMITS.nameChars);
    // The loaded feed's A40 is its own group, headed with its URL, holding only its own rows.
    const a40Heads = heads.filter({ hasText: /^NVIDIA A40/ });
    expect(await a40Heads.allTextContents()).toEqual([`NVIDIA A40 from ${a40}`]);
    const rows = a40Heads.nth(0).locator('xpath=ancestor::tbody').locator('tr[data-device]');
    expect(await rows.filter({ hasText: 'wgsl-dawn' }).count()).toBe(await rows.count());
    expect(await page.getByTestId('feed-overlay').getByRole('checkbox', { name: `NVIDIA A40 · wgsl-dawn f32` }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('hostile-long-name-and-a40'), fullPage: true });
    await expectHealthy(page, errors);
    await page.close();
  });

  it(`a feed as large as LIMITS allow (${LIMITS.feedDevices} devices, ${LIMITS.feedBytes} bytes), all on the page's layer, never holds the main thread`, async () => {
    const devices = Array.from({ length: LIMITS.feedDevices }, (_, i) => ({ id: `d${i}`, name: `Device ${i}` }));
    let perDevice = Math.floor(LIMITS.feedResults / LIMITS.feedDevices);
    let feed = feedFor(devices, {}, perDevice);
    while (JSON.stringify(feed).length > LIMITS.feedBytes) feed = feedFor(devices, {}, (perDevice -= 8));
    const text = JSON.stringify(feed);
    const url = feeds.set('/largest.json', { json: text });
    const { page, errors } = await open(`?v=1&feed=${encodeURIComponent(url)}`);
    await settled(page);
    await source(page, url).and(page.locator('[data-state=loaded]')).waitFor({ timeout: 60_000 });
    await openCompareTable(page);
    await page.getByTestId('compare-rows-cut').waitFor();
    expect(await page.getByTestId('compare-table').locator('tr[data-device]').count()).toBe(LIMITS.tableRows);
    const longest = await expectHealthy(page, errors);
    console.info(`${feed.results.length}-result feed: longest task ${Math.round(longest)} ms`);
    await page.close();
  });
});

describe('first load', () => {
  it('sends nothing over 300 KB gzipped with the default feed, from the .gz and .br the build writes', async () => {
    const page = await context.newPage();
    const sent: { url: string; encoding: string | undefined; bytes: number }[] = [];
    page.on('requestfinished', async (request) => {
      const response = await request.response();
      const sizes = await request.sizes();
      sent.push({ url: request.url(), encoding: response?.headers()['content-encoding'], bytes: sizes.responseBodySize });
    });
    await page.goto(site.url);
    await settled(page);
    await page.waitForLoadState('networkidle');
    const files = sent.filter((s) => s.url.startsWith(site.url)).map((s) => ({ ...s, file: resolve(DIST, new URL(s.url).pathname.slice('/blr/'.length) || 'index.html') }));
    expect(files.map((f) => f.file)).toContain(resolve(DIST, 'feeds/default.json'));
    let total = 0;
    for (const f of files) {
      const gz = statSync(`${f.file}.gz`).size;
      expect(f.encoding, f.url).toMatch(/^(br|gzip)$/);
      expect(f.bytes, f.url).toBeLessThanOrEqual(gz);
      expect(gz, f.url).toBeLessThan(300_000);
      total += gz;
    }
    expect(total).toBeLessThan(300_000);
    expect(statSync(resolve(DIST, 'feeds/default.json')).size).toBeGreaterThan(10 * statSync(resolve(DIST, 'feeds/default.json.gz')).size);
    expect(readFileSync(resolve(DIST, 'index.html.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    console.info(`first load: ${files.length} files, ${Math.round(total / 1024)} KB gzipped`);
    await page.close();
  });
});
