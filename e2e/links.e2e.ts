/** Links against the built site served from a sub-path, under its Content-Security-Policy, in fresh browser contexts. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { encodeExperiment } from '../src/lib/share/codec';
import { encodeSnapshot } from '../src/lib/share/snapshot';
import { DEFAULT_EXPERIMENT } from '../src/lib/share/state';
import { screenshotPath, siteAndBrowser, viewsMounted } from './harness';

const env = siteAndBrowser({ webgpu: true, prefix: 'blr' });

/** A page in a context of its own (no shared storage), with every console error and uncaught error collected. */
async function openFresh(url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  await page.getByTestId('params').waitFor();
  await viewsMounted(page);
  return { page, problems };
}

const fill = async (page: Page, label: string, value: string) => {
  await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel(label, { exact: true }).press('Enter');
};

/** The address bar once it has settled on a query containing `part`. */
async function addressWith(page: Page, part: string): Promise<string> {
  await page.waitForFunction((p) => location.search.includes(p), part);
  return page.url();
}

/** Every experiment control's value, and the views shown, as a comparable record. */
async function experimentOnPage(page: Page) {
  const controls = await page.$$eval('aside [aria-label="Experiment"] input, aside [aria-label="Experiment"] select, aside input, aside select', (els) =>
    els
      .filter((e) => !e.closest('.feeds, .share'))
      .map((e) => {
        const el = e as HTMLInputElement;
        return `${el.id || el.name}=${el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value}`;
      }),
  );
  const views = await page.$$eval('main h2', (hs) => hs.map((h) => h.textContent?.trim()));
  return { controls: [...new Set(controls)], views, params: await page.getByTestId('params').textContent() };
}

describe('links on a site served from a sub-path', () => {
  it('builds index.html without inline script, under the CSP', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../dist/index.html'), 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\.\//.test(tag))).toBe(true);
  });

  it('an experiment set through the controls reopens identically from its address in a fresh context', async () => {
    const { page, problems } = await openFresh(env.site.url);
    expect(await page.getByTestId('link-notices').count()).toBe(0);
    await page.getByLabel('Model', { exact: true }).selectOption('custom');
    await fill(page, 'n (in features)', '96');
    await fill(page, 'm (out features)', '160');
    await fill(page, 'Tokens T (batch × sequence)', '7');
    await page.getByRole('radio', { name: /BLAST/ }).check();
    await page.getByLabel('Blocks b', { exact: true }).selectOption('4');
    await page.getByRole('radio', { name: /^fused/ }).check();
    await page.getByRole('checkbox', { name: 'Roofline' }).uncheck();
    await addressWith(page, 'strategy=fused');
    // The address has caught up with the last change, the unticked view, too.
    const link = await addressWith(page, 'views=structure,timing');
    expect(link.startsWith(env.site.url)).toBe(true);
    expect(link).toContain('preset=custom&m=160&n=96&tokens=7&structure=blast&blocks=4');
    expect(await page.title()).toMatch(/^custom 96 → 160 · BLAST b=4 r=\d+ · T=7 — BLR Playground$/);
    const before = await experimentOnPage(page);
    expect(before.controls.length).toBeGreaterThan(10);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.site.origin });
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.getByTestId('share-status').textContent()).toBe('Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    expect(await page.getByRole('link', { name: 'Open in new tab' }).getAttribute('href')).toBe(link);

    const reopened = await openFresh(link);
    expect(await experimentOnPage(reopened.page)).toEqual(before);
    expect(await reopened.page.title()).toBe(await page.title());
    expect(await reopened.page.getByTestId('link-notices').count()).toBe(0);
    // The worker and its shaders load from the sub-path too.
    await expect.poll(() => reopened.page.getByTestId('adapter').textContent(), { timeout: 30_000 }).toMatch(/GPU:/);
    await reopened.page.screenshot({ path: screenshotPath('links-reopened'), fullPage: true });
    expect([...problems, ...reopened.problems]).toEqual([]);
    await page.context().close();
    await reopened.page.context().close();
  });

  it('shares measured points: the link shows them without running anything, and a change drops them from the address', async () => {
    const state = { ...DEFAULT_EXPERIMENT, preset: null, layer: null, m: 160, n: 96, tokens: 7, blocks: 4, rank: 32 };
    const { page, problems } = await openFresh(`${env.site.url}?${encodeExperiment(state)}`);
    await expect.poll(() => page.getByTestId('adapter').textContent(), { timeout: 30_000 }).toMatch(/GPU:/);
    await page.getByRole('button', { name: 'Run one point' }).click();
    await page.getByTestId('point-speedup').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Share with results' }).click();
    const link = await addressWith(page, 'results=');

    const shared = await openFresh(link);
    const results = shared.page.getByTestId('linked-results');
    await results.waitFor();
    expect(await shared.page.getByTestId('linked-device').textContent()).toMatch(/swiftshader/i);
    expect(await results.locator('tbody tr').count()).toBe(2);
    expect(await results.locator('path.line, path.point').count()).toBeGreaterThan(0);
    expect(await shared.page.getByRole('button', { name: 'Re-run on this GPU' }).count()).toBe(1);
    expect(await shared.page.getByTestId('point-ms').count()).toBe(0);
    await results.screenshot({ path: screenshotPath('links-shared-results') });

    await fill(shared.page, 'Tokens T (batch × sequence)', '8');
    await shared.page.waitForFunction(() => location.search.includes('tokens=8') && !location.search.includes('results='));
    expect([...problems, ...shared.problems]).toEqual([]);
    await page.context().close();
    await shared.page.context().close();
  });

  it('a malformed link shows each problem as text, and a working page', async () => {
    const device = '<img src=x onerror="document.title=1">GPU';
    const results = encodeSnapshot([{ structure: 'dense', m: 160, n: 96, tokens: 7, strategy: 'tiled', dtype: 'f32', medianMs: 0.5 }], device);
    const query = `v=1&tokens=12abc&blocks=-3&utm_source=mail&structure=<script>alert(1)</script>&dtype=F16&results=${results}`;
    const { page, problems } = await openFresh(`${env.site.url}?${query}`);
    const notices = page.getByTestId('link-notices');
    await notices.waitFor();
    const text = await notices.textContent();
    for (const part of ['tokens = 12abc', 'blocks = -3', 'utm_source = mail', 'unknown parameter', 'structure = <script>alert(1)</script>', 'dtype = F16']) {
      expect(text?.replace(/\s+/g, ' ')).toContain(part);
    }
    expect(await page.locator('#app script, #app img').count()).toBe(0);
    expect(await page.getByTestId('linked-device').textContent()).toBe(device);
    // The page works: defaults in place of the bad values, views drawn, the address corrected.
    expect(await page.getByRole('radio', { name: /Monarch/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('params').textContent()).toBe('8.39M');
    await addressWith(page, 'structure=monarch');
    await page.screenshot({ path: screenshotPath('links-malformed'), fullPage: true });
    // A refused clipboard leaves the link in a field to copy by hand.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    await page.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.getByLabel('Link', { exact: true }).inputValue()).toBe(page.url());
    await page.locator('aside').screenshot({ path: screenshotPath('links-copy-fallback') });
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notices.count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a missing page under the site sends the visitor to the playground with the link kept', async () => {
    const { page, problems } = await openFresh(`${env.site.origin}/blr/no/such/page?v=1&tokens=7`);
    expect(new URL(page.url()).pathname).toBe('/blr/');
    expect(await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).inputValue()).toBe('7');
    expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
    await page.context().close();
  });
});
