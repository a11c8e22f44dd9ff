import { launchBrowser, serveDist } from '/work/wt-hostile/e2e/harness';
const site = await serveDist('blr');
const browser = await launchBrowser({ webgpu: false });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
for (const u of ['', '?v=1&preset=custom&m=65536&n=65536&structure=monarch&blocks=64&rank=65536']) {
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.goto(site.url + u);
await page.waitForFunction(() => /Loaded|Refused/.test(document.querySelector('[data-testid=feed-message]')?.textContent ?? ''), undefined, { timeout: 60000 });
await page.waitForTimeout(500);
const { profile } = await cdp.send('Profiler.stop');
const self = new Map<string, number>();
const dt = profile.timeDeltas!; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples!.forEach((id, i) => { const n = byId.get(id)!; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + dt[i] / 1000); });
console.log('---', u);
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0).padStart(6)} ${k}`).join('\n'));
}
await browser.close(); await site.close();
