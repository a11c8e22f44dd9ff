/**
 * The paper on the page, from the default feed with no network beyond the page's own server:
 * the verdict above the fold on a laptop and a phone, the claims with their sentences and this
 * GPU's number or the button that measures it, and Figs. 3, 4, 8 and 9 with their downloads.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../src/lib/paper/claims';
import { openPage, screenshotPath, siteAndBrowser } from './harness';

const env = siteAndBrowser({ webgpu: true });

/** A CSV line's fields (commas inside quotes belong to their field). */
function fields(line: string): string[] {
  const out = [''];
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) out.push('');
    else out[out.length - 1] += ch;
  }
  return out;
}

const sentence = (page: Page) => page.getByTestId('verdict-sentence');

/** The verdict once the default feed is in: it names a token count, a source and dense. */
async function waitForVerdict(page: Page) {
  await expect.poll(() => sentence(page).textContent(), { timeout: 30_000 }).toMatch(/^At 1024 tokens on the .+, Monarch partial runs .+ dense/);
}

/** Whether an element lies wholly inside the first screen. */
async function inFirstViewport(page: Page, testid: string): Promise<boolean> {
  const box = await page.getByTestId(testid).boundingBox();
  const height = page.viewportSize()!.height;
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

describe('the verdict and the page order', () => {
  it('1280 × 800: the verdict and its chart in the first screen, the page about four screens long, the skip link to it', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await waitForVerdict(page);
    expect(await inFirstViewport(page, 'verdict-sentence')).toBe(true);
    expect(await inFirstViewport(page, 'verdict-chart')).toBe(true);
    expect(await page.getByTestId('verdict-source').textContent()).toMatch(/Source: .+(measured|modelled)/);
    expect(await page.getByTestId('tagline').textContent()).toMatch(/slower than dense/);
    // A software adapter's roof says it stands for nothing real.
    await expect.poll(() => page.getByTestId('roofline-caveat').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator('[data-roof*="software adapter: not representative"]').count()).toBe(1);
    // The Compare view leads with its chart; the table is folded, each row with its source.
    expect(await page.getByTestId('compare-chart').locator('circle[data-dot]').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('compare-details').getAttribute('open')).toBeNull();
    const sources = await page.locator('[data-testid=compare-table] td.source').allTextContents();
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.every((s) => s.trim().length > 0)).toBe(true);
    // About four screens with the default views (3.9 when written); the rest is a click away.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height / 800).toBeLessThanOrEqual(4.25);
    await page.screenshot({ path: screenshotPath('verdict-1280'), fullPage: false });
    // The skip link is the first stop, and takes the focus past the controls to the verdict.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('verdict');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('390 × 844: the verdict first, the controls folded away to one line, no sideways scrolling', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url, 390, 844);
    await waitForVerdict(page);
    expect(await inFirstViewport(page, 'verdict-sentence')).toBe(true);
    const controls = page.locator('aside details');
    expect(await controls.getAttribute('open')).toBeNull();
    expect(await page.getByLabel('Model', { exact: true }).isVisible()).toBe(false);
    await controls.locator('summary').click();
    expect(await page.getByLabel('Model', { exact: true }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('verdict-390'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the Paper view', () => {
  it('lists every claim with its sentence, and this GPU’s number or the button that measures it', async () => {
    const { page, errors } = await openPage(env.browser, `${env.site.url}?v=1&views=paper`);
    await page.getByTestId('paper-view').waitFor();
    await expect.poll(() => page.locator('[data-testid=claim-multi-token-baselines] tbody tr').count(), { timeout: 30_000 }).toBeGreaterThan(4);
    await expect.poll(() => page.getByTestId('adapter').textContent(), { timeout: 30_000 }).toMatch(/GPU:/);
    for (const claim of CLAIMS) {
      const card = page.getByTestId(`claim-${claim.id}`);
      expect(await card.getByTestId('claim-quote').textContent()).toContain(claim.quote);
      expect(await card.getByTestId('claim-own').textContent()).toMatch(/This GPU/);
      const button = card.getByRole('button', { name: /Measure (on|the rest on) this GPU \(\d+ points?\)/ });
      const noKernel = card.getByText(/no kernel in this build yet/);
      expect((await button.count()) + (await noKernel.count()), claim.id).toBeGreaterThan(0);
    }
    await page.screenshot({ path: screenshotPath('paper-view'), fullPage: false });

    // One click measures the single-token claim's twelve points on this GPU: a number, marked as a software adapter's.
    const card = page.getByTestId('claim-single-token');
    await card.getByRole('button', { name: 'Measure on this GPU (12 points)' }).click();
    await expect.poll(() => card.getByTestId('claim-own').textContent(), { timeout: 240_000 }).toMatch(/\d\.\d\d(–\d+\.\d\d)?×/);
    expect(await card.getByTestId('claim-own').textContent()).toContain('software adapter: not representative');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws Figs. 3, 4, 8 and 9 from the default feed, each downloadable as SVG, PNG and CSV', async () => {
    // Chromium lets one page load start ten downloads without asking: two figures per load.
    for (const figs of [['fig3', 'fig4'], ['fig8', 'fig9']]) {
      const { page, errors } = await openPage(env.browser, `${env.site.url}?v=1&views=paper`);
      await expect.poll(() => page.getByTestId('fig3-chart').locator('[data-bar]').count(), { timeout: 30_000 }).toBe(18);
      expect(await page.getByTestId('fig3-chart').locator('[data-band]').count()).toBe(9);
      expect(await page.getByTestId('fig4-roofline').locator('circle').count()).toBeGreaterThanOrEqual(6);
      expect(await page.getByTestId('fig8-chart').locator('[data-bar]').count()).toBeGreaterThan(10);
      expect(await page.getByTestId('fig9-chart').locator('circle[data-dot]').count()).toBeGreaterThan(10);
      expect(await page.getByTestId('fig9').textContent()).toMatch(/not counted/);
      // The PNG is drawn on a canvas in the GPU process, which SwiftShader keeps busy while it
      // measures this GPU's ceilings: wait for those (Fig. 4 then offers this GPU's roof).
      await expect.poll(() => page.locator('#fig4-roof option').count(), { timeout: 90_000 }).toBe(3);
      for (const fig of figs) {
        const figure = page.getByTestId(fig);
        const files: Record<string, Buffer> = {};
        for (const kind of ['SVG', 'PNG', 'CSV']) {
          const [download] = await Promise.all([
            page.waitForEvent('download', { timeout: 60_000 }),
            figure.getByRole('button', { name: new RegExp(`as ${kind}$`) }).click(),
          ]);
          expect(download.suggestedFilename()).toBe(`blr-${fig}.${kind.toLowerCase()}`);
          files[kind] = readFileSync((await download.path())!);
        }
        const svg = files.SVG.toString('utf8');
        expect(svg, fig).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(svg).toContain('(redrawn)');
        expect([...files.PNG.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        const csv = files.CSV.toString('utf8').split('\r\n');
        expect(csv.length, fig).toBeGreaterThan(3);
        expect(fields(csv[1]).length).toBe(fields(csv[0]).length);
      }
      if (figs.includes('fig9')) await page.getByTestId('fig9').screenshot({ path: screenshotPath('paper-fig9') });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
