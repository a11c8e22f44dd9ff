/** The playground in a browser without WebGPU: a banner says why, the model views and the CPU reference still work. */
import { describe, expect, it } from 'vitest';
import { openPage, screenshotPath, siteAndBrowser } from './harness';

const env = siteAndBrowser({ webgpu: false });

describe('playground without WebGPU', () => {
  it('shows the banner with how to enable WebGPU, and the views still render', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    const banner = page.getByTestId('gpu-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/no GPU adapter/);
    expect(await banner.textContent()).toContain('chrome://flags/#enable-unsafe-webgpu');
    expect(await page.getByTestId('params').textContent()).toBe('8.39M');
    expect(await page.locator('.chain [role=listbox]').count()).toBe(3);
    await page.getByRole('checkbox', { name: 'Memory traffic' }).check();
    expect(await page.locator('g.bar[data-dispatch]').count()).toBe(2);
    expect(await page.getByTestId('ceilings-placeholder').textContent()).toMatch(/not measured yet/);
    expect(await page.getByRole('radio', { name: /^f16/ }).isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath('no-webgpu'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('times small layers on the CPU reference and says when a layer is too large for it', async () => {
    const { page, errors } = await openPage(env.browser, env.site.url);
    await page.getByTestId('gpu-banner').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Run one point' }).click();
    await expect.poll(() => page.getByTestId('point-result').textContent(), { timeout: 20_000 }).toMatch(/too large for the CPU reference/);
    await page.getByLabel('Model', { exact: true }).selectOption('custom');
    await page.getByLabel('n (in features)', { exact: true }).fill('96');
    await page.getByLabel('n (in features)', { exact: true }).press('Enter');
    await page.getByLabel('m (out features)', { exact: true }).fill('160');
    await page.getByLabel('m (out features)', { exact: true }).press('Enter');
    await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).fill('7');
    await page.getByLabel('Tokens T (batch × sequence)', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Run one point' }).click();
    await page.getByTestId('point-ms').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('point-result').textContent()).toContain('f64 CPU reference');
    await page.screenshot({ path: screenshotPath('no-webgpu-cpu-run'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
