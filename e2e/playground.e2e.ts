/** A person's paths through the built playground with WebGPU on SwiftShader (on the CPU: small shapes). */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, siteAndBrowser } from './harness';

const env = siteAndBrowser({ webgpu: true });

/** A custom 96 × 160 Monarch layer at 7 tokens: small enough for SwiftShader. */
async function useSmallMonarch(page: Page) {
  await page.getByLabel('Model', { exact: true }).selectOption('custom');
  await page.getByLabel('n (in features)', { exact: true }).fill('96');
  await page.getByLabel('n (in features)', { exact: true }).press('Enter');
  await page.getByLabel('m (out features)', { exact: true }).fill('160');
  await page.getByLabel('m (out features)', { exact: true }).press('Enter');
  await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).fill('7');
  await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).press('Enter');
  await page.getByRole('radio', { name: /Monarch/ }).check();
  await page.getByLabel('Blocks b', { exact: true }).selectOption('4');
  await page.getByLabel('Rank R', { exact: true }).selectOption('32');
}

async function waitForGpu(page: Page) {
  await expect.poll(() => page.getByTestId('adapter').textContent(), { timeout: 30_000 }).toMatch(/GPU:/);
}

describe('playground with WebGPU', () => {
  it('picks a preset: its shape and knobs fill the controls and the views follow', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await expect.poll(() => page.getByTestId('params').textContent()).toBe('8.39M');
    // The structure and traffic views come from the cost model and need no GPU work (the
    // no-WebGPU test below shows them with no GPU at all); speed is never asserted in a test.
    // Memory traffic is one click away.
    expect(await page.locator('#traffic-title').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Memory traffic' }).check();
    expect(await page.locator('#traffic-title').count()).toBe(1);
    await page.getByLabel('Model', { exact: true }).selectOption('gpt2-s');
    expect(await page.getByLabel('Layer', { exact: true }).inputValue()).toBe('c_attn');
    expect(await page.getByLabel('n (in features)', { exact: true }).inputValue()).toBe('768');
    expect(await page.getByLabel('m (out features)', { exact: true }).inputValue()).toBe('2304');
    expect(await page.getByLabel('Blocks b', { exact: true }).inputValue()).toBe('4');
    expect(await page.getByLabel('Rank R', { exact: true }).inputValue()).toBe('192');
    expect(await page.getByTestId('compression').textContent()).toBe('3×');
    await waitForGpu(page);
    // SwiftShader has no shader-f16: the option stays visible, disabled, with the reason.
    expect(await page.getByRole('radio', { name: /^f16/ }).isDisabled()).toBe(true);
    expect(await page.locator('#dtype-f16-note').textContent()).toMatch(/lacks the 'shader-f16' feature/);
    // …and the banner says what the adapter lacks, and that no flag gives a software adapter more
    const advice = page.getByTestId('feature-advice');
    expect(await advice.locator('summary').textContent()).toBe("This browser's GPU lacks shader-f16, chromium-experimental-subgroup-matrix: what would expose them");
    await advice.locator('summary').click();
    expect(await advice.locator('li').count()).toBe(2);
    expect(await advice.textContent()).toMatch(/software adapter/);
    await expect.poll(() => page.getByTestId('ceilings').textContent(), { timeout: 60_000 }).toMatch(/B\/s copy bandwidth/);
    await page.screenshot({ path: screenshotPath('preset-gpt2'), fullPage: true });
    await page.getByRole('checkbox', { name: 'Roofline' }).uncheck();
    expect(await page.locator('#roofline-title').count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Roofline' }).check();
    expect(await page.locator('#roofline-title').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs one point: a latency and a passing check against the CPU reference', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await useSmallMonarch(page);
    await waitForGpu(page);
    await page.getByRole('button', { name: 'Run one point' }).click();
    const check = page.getByTestId('point-check');
    await check.waitFor({ timeout: 90_000 });
    expect(await check.textContent()).toMatch(/passed: relErr \d\.\d+e-\d+ </);
    expect(await page.getByTestId('point-ms').textContent()).toMatch(/\d (ms|µs)$/);
    expect(await page.getByTestId('point-result').textContent()).toContain('Monarch b=4 R=32 · partial · 96 → 160 · T=7 · f32');
    // the timer, its step read off its readings, and the runs each sample holds
    expect(await page.getByTestId('timer-note').textContent()).toMatch(/^Timer: GPU timestamps in \d[\d.]* (ns|µs|ms) steps, \d+ runs? a sample\./);
    await page.getByTestId('point-speedup').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('point-speedup').textContent()).toMatch(/\d×.*dense/);
    expect(await page.getByTestId('point-steps').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('run-point'), fullPage: true });
    // each dispatch alone: a row per dispatch of the plan, with its median and runs a sample
    await page.getByRole('checkbox', { name: 'each dispatch alone too' }).check();
    await page.getByRole('button', { name: 'Run one point' }).click();
    const steps = page.getByTestId('point-steps');
    await steps.waitFor({ timeout: 90_000 });
    const rows = await steps.locator('tbody tr').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^\S.*\d (ns|µs|ms)\d+$/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a small sweep: latency and speedup charts get a point per line and token count', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await useSmallMonarch(page);
    await page.getByLabel('Sweep tokens', { exact: true }).fill('1, 7');
    await page.getByLabel('Sweep tokens', { exact: true }).press('Enter');
    await waitForGpu(page);
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect.poll(() => page.getByTestId('sweep-status').textContent(), { timeout: 120_000 }).toMatch(/8 of 8 points, done/);
    // dense and Monarch unfused, partial, fused, at T = 1 and 7
    expect(await page.getByTestId('latency-chart').locator('.series:not(.feed) .point').count()).toBe(8);
    expect(await page.getByTestId('speedup-chart').locator('.series:not(.feed) .point').count()).toBe(6);
    expect(await page.getByTestId('sweep-timer').textContent()).toMatch(/^Timer: GPU timestamps in \d[\d.]* (ns|µs|ms) steps, \d+(–\d+)? runs? a sample\.$/);
    // The sweep at T=7 timed every strategy of this layer: the roofline shows them as points.
    expect(await page.locator('g.point[data-strategy]').count()).toBe(4);
    await page.screenshot({ path: screenshotPath('sweep'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cancels a sweep after the point in flight', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await useSmallMonarch(page);
    await page.getByLabel('Sweep tokens', { exact: true }).fill('1, 2, 3, 4, 5, 6, 7');
    await page.getByLabel('Sweep tokens', { exact: true }).press('Enter');
    await waitForGpu(page);
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const status = page.getByTestId('sweep-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^[1-9]\d* of 28 points/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/cancelled/);
    const done = Number((await status.textContent())!.split(' ')[0]);
    expect(done).toBeLessThan(28);
    expect(await page.getByRole('button', { name: 'Run sweep' }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changes structure: the structure view redraws and hovering a block lights what it produces', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    const panels = page.locator('.chain [role=listbox]');
    expect(await panels.count()).toBe(3);
    expect(await page.locator('.captions').textContent()).toContain('permutation of the 256 intermediates');
    await page.getByRole('radio', { name: /BLAST/ }).check();
    expect(await page.locator('.captions').textContent()).toContain('coupling grid');
    expect(await page.getByTestId('params').textContent()).toBe('8.65M');
    await page.getByRole('radio', { name: /Low-rank/ }).check();
    expect(await panels.count()).toBe(2);
    await page.getByRole('radio', { name: /BLAST/ }).check();
    await page.locator('#factor-S-5').hover();
    expect(await page.locator('.dense path.dim').count()).toBe(1);
    expect(await page.getByTestId('picked-block').textContent()).toMatch(/S block \(0, 5\) produces 16 of 4096 entries/);
    await page.screenshot({ path: screenshotPath('blast-hover'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works from the keyboard alone', async () => {
    const { page, errors } = await openPage(env.browser, `${env.site.url}?v=1&views=structure,traffic,roofline,timing,compare`);
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    // First the link past the controls, then the controls.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip past the controls to the results');
    // Then the banner's note on what this adapter lacks (SwiftShader has no shader-f16).
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('what would expose them');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('model');
    await page.keyboard.press('ArrowDown'); // Llama-7B → Llama-1B
    expect(await page.getByLabel('n (in features)', { exact: true }).inputValue()).toBe('2048');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('layer');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('dim-m');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('tokens');
    await page.keyboard.press('End');
    await page.keyboard.type('0');
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).inputValue()).toBe('10240');
    expect(await focusedId()).toBe('structure-monarch');
    await page.keyboard.press('ArrowDown'); // Monarch → BLAST
    expect(await page.getByRole('radio', { name: /BLAST/ }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('blocks');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('rank');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('strategy-partial');
    await page.keyboard.press('ArrowDown'); // partial → perm-fused
    expect(await page.getByRole('radio', { name: /^perm-fused/ }).isChecked()).toBe(true);
    expect(await page.locator('tr.chosen button').textContent()).toBe('perm-fused');
    // A factor of the structure view: focus it, step through its blocks with the arrows.
    await page.locator('.chain [role=listbox]').first().focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('picked-block').textContent()).toMatch(/U block 0 produces/);
    await page.screenshot({ path: screenshotPath('keyboard'), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url, 390, 844);
    await page.getByTestId('params').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('phone'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
